import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/**
 * Optional properties of `...Props` interfaces whose JSDoc has no `@default` tag, as
 * `<file>:<line> <Interface>.<property>`. Every `...Props` interface counts, exported or not: a
 * non-exported base (PostgresBaseProps) reaches users through the exported props that extend it.
 * Fields of object types written inline in a prop's type count too.
 */
function propsWithoutDefault(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  // The members of an interface, and of the object types written inline in their types, at any depth.
  const visit = (members: ts.NodeArray<ts.TypeElement>, path: string) => {
    for (const member of members) {
      if (!ts.isPropertySignature(member)) continue;
      const name = `${path}.${member.name.getText(sf)}`;
      if (member.questionToken && !ts.getJSDocTags(member).some((tag) => tag.tagName.text === "default")) {
        found.push(`${fileName}:${sf.getLineAndCharacterOfPosition(member.getStart(sf)).line + 1} ${name}`);
      }
      const inline = (node: ts.Node): void => {
        if (ts.isTypeLiteralNode(node)) visit(node.members, name);
        else ts.forEachChild(node, inline);
      };
      if (member.type) inline(member.type);
    }
  };
  for (const statement of sf.statements) {
    if (ts.isInterfaceDeclaration(statement) && statement.name.text.endsWith("Props"))
      visit(statement.members, statement.name.text);
  }
  return found;
}

/** Prose that states a default, where `@default` already does: two places, one of which goes stale. */
const proseDefault =
  /\bdefaults? to\b|\bdefault(?: is\b|:)|\(default\b|;\s*default\b|\bby default\b(?!-)|^\s*default\b/im;

/** Doc comments with a `@default` tag whose text also states a default, as `<file>:<line>`. */
function defaultsInProse(fileName: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const [doc] = match;
    if (!doc.includes("@default")) continue;
    const prose = doc
      .replace(/@default[^\n]*/g, "")
      .replace(/^\s*\/?\*+\/?/gm, "")
      .trim();
    if (proseDefault.test(prose)) found.push(`${fileName}:${text.slice(0, match.index).split("\n").length}`);
  }
  return found;
}

describe("props document their defaults", () => {
  it("catches an optional prop without a doc comment or without @default", () => {
    const fixture = [
      "export interface WidgetProps {",
      "  readonly name: string;",
      "  /** Replicas of the widget. @default 2 */",
      "  readonly replicas?: number;",
      "  /** Storage class of its volume",
      "   *  @default fast-ssd */",
      "  readonly storageClass?: string;",
      "  /** Namespace the widget owns. */",
      "  readonly namespace?: string;",
      "  readonly dependsOn?: string[];",
      "  /** Its database. @default none */",
      "  readonly database?: { readonly name: string; readonly port?: number };",
      "}",
      "export interface WidgetOutputs {",
      "  readonly host?: string;",
      "}",
    ].join("\n");
    expect(propsWithoutDefault("widget.ts", fixture)).toEqual([
      "widget.ts:9 WidgetProps.namespace",
      "widget.ts:10 WidgetProps.dependsOn",
      "widget.ts:12 WidgetProps.database.port",
    ]);
  });

  it("every optional prop in constructs/ states its default with @default", () => {
    const missing = sources(join(root, "constructs")).flatMap((file) =>
      propsWithoutDefault(relative(root, file), readFileSync(file, "utf8")),
    );
    expect(missing).toEqual([]);
  });

  it("catches a default stated in prose besides @default", () => {
    const fixture = [
      "export interface WidgetProps {",
      "  /** Replicas of the widget (default 2). @default 2 */",
      "  readonly replicas?: number;",
      "  /** Storage class of its volume; defaults to fast-ssd.",
      "   *  @default fast-ssd */",
      "  readonly storageClass?: string;",
      "  /** Default `widgets`: its policies assume it. @default widgets */",
      "  readonly namespace?: string;",
      "  /** Create the default class `standard`; the default command reads it. @default true */",
      "  /** Namespace it owns (closed by default-deny). @default widgets */",
      "  readonly standardClass?: boolean;",
      "}",
    ].join("\n");
    expect(defaultsInProse("widget.ts", fixture)).toEqual(["widget.ts:2", "widget.ts:4", "widget.ts:7"]);
  });

  it("no doc comment in constructs/ states a default in prose besides @default", () => {
    const found = sources(join(root, "constructs")).flatMap((file) =>
      defaultsInProse(relative(root, file), readFileSync(file, "utf8")),
    );
    expect(found).toEqual([]);
  });
});

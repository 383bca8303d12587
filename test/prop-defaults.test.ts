import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/**
 * Optional properties of `...Props` interfaces whose JSDoc has no `@default` tag, as
 * `<file>:<line> <Interface>.<property>`. Every `...Props` interface counts, exported or not: a
 * non-exported base (PostgresBaseProps) reaches users through the exported props that extend it.
 * Only the interface's own members are checked, not those of inline object types inside them.
 */
function propsWithoutDefault(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of sf.statements) {
    if (!ts.isInterfaceDeclaration(statement) || !statement.name.text.endsWith("Props")) continue;
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member) || !member.questionToken) continue;
      if (ts.getJSDocTags(member).some((tag) => tag.tagName.text === "default")) continue;
      const line = sf.getLineAndCharacterOfPosition(member.getStart(sf)).line + 1;
      found.push(`${fileName}:${line} ${statement.name.text}.${member.name.getText(sf)}`);
    }
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
      "}",
      "export interface WidgetOutputs {",
      "  readonly host?: string;",
      "}",
    ].join("\n");
    expect(propsWithoutDefault("widget.ts", fixture)).toEqual([
      "widget.ts:9 WidgetProps.namespace",
      "widget.ts:10 WidgetProps.dependsOn",
    ]);
  });

  it("every optional prop in constructs/ states its default with @default", () => {
    const missing = sources(join(root, "constructs")).flatMap((f) =>
      propsWithoutDefault(relative(root, f), readFileSync(f, "utf8")),
    );
    expect(missing).toEqual([]);
  });
});

// The fast synthesis path must write exactly what cdktf's own would, on every committed stack and
// on values that hold every kind of token.
import { App, DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformCount, TerraformElement, TerraformIterator, TerraformOutput, TerraformStack, TerraformVariable, Token, Tokenization } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { environmentInputs, loadOrThrow } from "../config";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { elementsOf, peekResolved, resolvedDocument, takeResolved } from "../lib/element-terraform";
import { StackResolver } from "../lib/fast-resolve";
import { sorted, sortedJson, sortKeys } from "../lib/sorted-json";
import { withoutTokenStackTraces } from "../lib/synth-speed";
import { buildStacks } from "../stacks";
import { PlatformStack } from "../stacks/platform-stack";

function committedStacks(): TerraformStack[] {
  const app = new App({ outdir: "/tmp/odp-fast-resolve-unused" });
  withoutTokenStackTraces(() => buildStacks(app, loadOrThrow(environmentInputs)));
  return app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
}

describe("fast resolution", () => {
  const stacks = committedStacks();
  it.each(stacks.map((s) => [s.node.id, s] as const))("%s synthesizes exactly as cdktf's own toTerraform", (_id, stack) => {
    const fast = withoutTokenStackTraces(() => stack.toTerraform());
    const own = withoutTokenStackTraces(() => TerraformStack.prototype.toTerraform.call(stack));
    expect(fast).toEqual(own);
    expect(sortedJson(fast, (stack as unknown as { unsorted: Set<object> }).unsorted)).toBe(sortedJson(own)); // the bytes written
  });

  it("writes each stack's JSON with sorted keys and the same data", () => {
    const outdir = mkdtempSync(join(tmpdir(), "odp-sorted-"));
    try {
      const app = new App({ outdir });
      withoutTokenStackTraces(() => {
        buildStacks(app, loadOrThrow(environmentInputs));
        app.synth();
      });
      const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
      for (const stack of app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack)) {
        const text = readFileSync(join(outdir, manifest.stacks[stack.node.id].synthesizedStackPath), "utf8");
        const written = JSON.parse(text);
        expect(written, stack.node.id).toEqual(withoutTokenStackTraces(() => stack.toTerraform()));
        const keysSorted = (v: unknown): boolean =>
          Array.isArray(v) ? v.every(keysSorted) : v === null || typeof v !== "object" ? true : Object.keys(v).join("\n") === Object.keys(v).sort().join("\n") && Object.values(v).every(keysSorted);
        expect(keysSorted(written), stack.node.id).toBe(true);
        expect(text).toBe(sortedJson(written)); // deterministic: writing it again gives the same bytes
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("resolves every kind of token like cdktf", () => {
    const stack = new TerraformStack(new App({ outdir: "/tmp/odp-fast-resolve-unused" }), "s");
    const v = new TerraformVariable(stack, "v", { type: "list(string)" });
    const n = new TerraformVariable(stack, "n", { type: "number" });
    const m = new TerraformVariable(stack, "m", { type: "map(string)" });
    const value = {
      plain: { a: [1, "two", true, null, undefined, { b: 1.5e10 }], c: "text with e+ but no token" },
      str: `prefix-${v.stringValue}`,
      list: v.listValue,
      mixedList: ["a", v.stringValue, `x-${v.stringValue}`, n.numberValue, [v.stringValue]],
      repeated: [v.stringValue, v.stringValue, { again: v.stringValue }],
      num: n.numberValue,
      numInString: `${Token.asString(n.numberValue)} items`,
      map: m.value,
      [`${v.stringValue}`]: "token key",
      lazy: Lazy.anyValue({ produce: () => ({ inner: Fn.upper("x") }) }),
      fn: Fn.join(",", v.listValue),
      dropped: undefined,
      // A plain object literal is a token when it has its own resolve function.
      literalToken: { resolve: () => ({ z: 1, a: [v.stringValue] }), creationStack: [] },
      // References inside text, and the literal `${` / `%{` that change how cdktf writes them.
      embedded: [
        `arn:${v.stringValue}/*`,
        JSON.stringify({ Resource: [v.stringValue, `${v.stringValue}/*`], Condition: { n: 1 } }),
        `${v.stringValue}${v.stringValue}`,
        `a \${HOME} x-${v.stringValue}`,
        `\${${v.stringValue}}`,
        `\${{ ${v.stringValue} }}`,
        `pre ${v.stringValue} %{ if x } post`,
        `${v.stringValue} and ${n.numberValue}`, // an encoded number in text
        `${v.stringValue} with e+ text`,
      ],
      notAToken: { resolve: "a plain value", _children: {}, _metadata: undefined },
    };
    const own = Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
    expect(new StackResolver(stack).resolve(value)).toEqual(own);
    expect(JSON.stringify(new StackResolver(stack).resolve(value))).toBe(JSON.stringify(sorted(own))); // keys sorted
    // With the per-stack cache of resolved strings, twice in a row (no token key: the walker itself
    // goes through the object).
    const { mixedList, repeated, str, numInString, literalToken, notAToken, embedded } = value;
    const plainKeys = { mixedList, repeated, str, numInString, literalToken, notAToken, embedded };
    const ownPlain = JSON.stringify(sorted(Tokenization.resolve(plainKeys, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) })));
    const resolver = new StackResolver(stack);
    expect(JSON.stringify(resolver.resolve(plainKeys))).toBe(ownPlain);
    expect(JSON.stringify(resolver.resolve(plainKeys))).toBe(ownPlain);
    // A plain object that looks like a construct is an error in cdktf: the same here.
    const constructLike = { nested: { _metadata: [], _children: {} } };
    expect(() => Tokenization.resolve(constructLike, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) })).toThrow(/Construct/);
    expect(() => new StackResolver(stack).resolve(constructLike)).toThrow(/Construct/);
  });
});

describe("plain resources resolved without cdktf's toTerraform()", () => {
  /** Each element of the stack: what lib/element-terraform.ts gives, and cdktf's own, resolved. */
  function compare(stack: TerraformStack): void {
    const resolver = new StackResolver(stack);
    for (const e of stack.node.findAll().filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c))) {
      const own = sorted(resolver.resolve(e.toTerraform()));
      expect(JSON.stringify(resolvedDocument(takeResolved(e, stack))), e.node.path).toBe(JSON.stringify(own));
    }
  }

  it("writes every kind of resource and provider as cdktf does: meta-arguments, overrides, moves, imports, provisioners, dynamic blocks", () => {
    const stack = new TerraformStack(new App({ outdir: "/tmp/odp-fast-resolve-unused" }), "s");
    const aws = new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const other = new AwsProvider(stack, "other", {
      region: "eu-central-1",
      alias: "other",
      defaultTags: [{ tags: { camelCaseTag: "kept" } }],
      assumeRole: [{ roleArn: "arn:aws:iam::123456789012:role/x", sessionName: "s" }],
    });
    other.addOverride("skip_metadata_api_check", true);
    const names = new TerraformVariable(stack, "names", { type: "list(string)" });
    const key = new KmsKey(stack, "key", { description: "k", lifecycle: { preventDestroy: true, ignoreChanges: ["tags"], createBeforeDestroy: true } });
    const bucket = new S3Bucket(stack, "plain", { bucket: "b", tags: { camelCaseTag: "kept as written" }, dependsOn: [key], provider: other });
    new S3Bucket(stack, "counted", { bucket: "c", count: TerraformCount.of(Token.asNumber(2)) });
    new S3Bucket(stack, "iterated", { forEach: TerraformIterator.fromList(names.listValue), bucket: "d" });
    new S3Bucket(stack, "provisioned", { bucket: "e", provisioners: [{ type: "local-exec", command: "true" }], connection: { type: "ssh", host: "h" } });
    const overridden = new S3Bucket(stack, "overridden", { bucket: "f" });
    overridden.addOverride("lifecycle.prevent_destroy", true);
    new S3Bucket(stack, "imported", { bucket: "g" }).importFrom("g", aws);
    new S3Bucket(stack, "moved", { bucket: "h" }).moveToId("aws_s3_bucket.elsewhere");
    const it = TerraformIterator.fromList(names.listValue);
    new SecurityGroup(stack, "dynamic", {
      name: "sg",
      ingress: it.dynamic({ from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: [it.value] }),
      tags: { bucket: bucket.id },
    });
    new S3BucketLifecycleConfiguration(stack, "dynamic-block", { bucket: bucket.id, rule: it.dynamic({ id: it.value, status: "Enabled" }) });
    compare(stack);
  });

  it("takes an element's result once: a second take computes it again", () => {
    const stack = new TerraformStack(new App({ outdir: "/tmp/odp-fast-resolve-unused" }), "s");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const bucket = new S3Bucket(stack, "b", { bucket: "one" });
    const first = peekResolved(bucket, stack);
    expect(takeResolved(bucket, stack)).toBe(first);
    bucket.bucket = "two";
    expect(resolvedDocument(takeResolved(bucket, stack)).resource.aws_s3_bucket.b.bucket).toBe("two");
  });

  it("writes a stack's metadata and outputs as cdktf does, overrides included", () => {
    class Fixture extends PlatformStack {}
    const stack = new Fixture(new App({ outdir: "/tmp/odp-fast-resolve-unused" }), "s");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const bucket = new S3Bucket(stack, "overridden", { bucket: "f" });
    bucket.addOverride("lifecycle.prevent_destroy", true);
    new S3Bucket(stack, "plain", { bucket: "g" });
    stack.addOverride("terraform.required_version", ">= 1.5");
    new TerraformOutput(stack, "name", { value: bucket.bucket });
    const own = withoutTokenStackTraces(() => TerraformStack.prototype.toTerraform.call(stack));
    expect(own["//"].metadata.overrides).toEqual({ stack: ["terraform"], aws_s3_bucket: ["lifecycle"] });
    expect(withoutTokenStackTraces(() => stack.toTerraform())).toEqual(own);
  });

  it("lists a stack's own elements in construct order, without those of a stack nested in it", () => {
    const outer = new TerraformStack(new App({ outdir: "/tmp/odp-fast-resolve-unused" }), "outer");
    new AwsProvider(outer, "aws", { region: "eu-west-1" });
    const group = new Construct(outer, "group");
    const a = new S3Bucket(group, "a", { bucket: "a" });
    new S3Bucket(a, "under-an-element", { bucket: "u" });
    const inner = new TerraformStack(group, "inner");
    new AwsProvider(inner, "aws", { region: "eu-west-1" });
    new S3Bucket(inner, "c", { bucket: "c" });
    new S3Bucket(outer, "b", { bucket: "b" });
    const own = outer.node.findAll().filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c) && TerraformStack.of(c) === outer);
    expect(elementsOf(outer).map((e) => e.node.path)).toEqual(own.map((e) => e.node.path));
    expect(own.map((e) => e.node.id)).toEqual(["aws", "a", "under-an-element", "b"]);
  });
});

describe("sortKeys", () => {
  it("orders keys exactly as Array.prototype.sort, short and long lists alike", () => {
    const alphabet = ["a", "B", "_", "-", "1", "10", "9", "é", "Z", "aa", "a-b", "a_b", "$", "ü", "😀", ""];
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let n = 0; n < 60; n++) {
      const keys = Array.from({ length: Math.floor(rnd() * 40) }, () => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(""));
      expect(sortKeys([...keys])).toEqual([...keys].sort());
    }
  });
});

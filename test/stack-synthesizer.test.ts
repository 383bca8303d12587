// stacks/stack-synthesizer.ts must write what cdktf's own StackSynthesizer writes: the same stack
// files (bytes, as lib/sorted-json.ts formats them) and the same manifest, annotations included.
import { Annotations, App, Aspects, TerraformStack, type IAspect } from "cdktf";
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct, IConstruct } from "constructs";
import { linkSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { environmentInputs, loadOrThrow } from "../config";
import { sortedJson } from "../lib/sorted-json";
import { withoutTokenStackTraces } from "../lib/synth-speed";
import { buildStacks } from "../stacks";
import { PlatformStack } from "../stacks/platform-stack";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Synthesizes a fresh app; with `cdktfOwn`, every stack uses cdktf's own synthesizer. */
function synth(build: (app: App) => void, cdktfOwn: boolean): { outdir: string; manifest: any; error?: string } {
  const outdir = mkdtempSync(join(tmpdir(), "odp-synthesizer-"));
  dirs.push(outdir);
  const app = new App({ outdir });
  try {
    withoutTokenStackTraces(() => {
      build(app);
      if (cdktfOwn) for (const s of app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack)) s.synthesizer = new StackSynthesizer(s);
      app.synth();
    });
  } catch (e) {
    return { outdir, manifest: undefined, error: (e as Error).message };
  }
  return { outdir, manifest: JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) };
}

class FixtureStack extends PlatformStack {
  constructor(scope: Construct, id: string, aspects: IAspect[]) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    new S3Bucket(this, "bucket", { bucket: "odp-fixture" });
    for (const a of aspects) Aspects.of(this).add(a);
  }
}

describe("the platform's stack synthesizer", () => {
  it("writes every committed stack and the manifest exactly as cdktf's own synthesizer", () => {
    const build = (app: App) => buildStacks(app, loadOrThrow(environmentInputs));
    const ours = synth(build, false);
    const own = synth(build, true);
    expect(ours.error).toBeUndefined();
    expect(ours.manifest).toEqual(own.manifest);
    const annotations = Object.values(ours.manifest.stacks).flatMap((s: any) => s.annotations);
    expect(annotations.length).toBeGreaterThan(0); // waived policy findings travel as annotations
    for (const [id, s] of Object.entries<any>(ours.manifest.stacks)) {
      const mine = readFileSync(join(ours.outdir, s.synthesizedStackPath), "utf8");
      const theirs = JSON.parse(readFileSync(join(own.outdir, s.synthesizedStackPath), "utf8"));
      expect(mine, id).toBe(sortedJson(theirs));
    }
  });

  it("replaces a stack file left by an earlier synthesis with a new file, never truncating it", () => {
    const { outdir, manifest } = synth((app) => new FixtureStack(app, "fixture", []), false);
    const file = join(outdir, manifest.stacks.fixture.synthesizedStackPath);
    const earlier = `${file}.earlier`;
    linkSync(file, earlier); // a second name for the earlier file's inode
    const app = new App({ outdir });
    withoutTokenStackTraces(() => {
      const stack = new FixtureStack(app, "fixture", []);
      new S3Bucket(stack, "second", { bucket: "odp-second" });
      app.synth();
    });
    expect(readFileSync(file, "utf8")).toMatch(/odp-second/);
    expect(readFileSync(earlier, "utf8")).not.toMatch(/odp-second/); // the earlier inode was left as it was
  });

  it("fails on an error annotation with cdktf's own message", () => {
    const failing: IAspect = { visit: (n: IConstruct) => (n instanceof S3Bucket ? Annotations.of(n).addError("no buckets here") : undefined) };
    const build = (app: App) => new FixtureStack(app, "fixture", [failing]);
    const ours = synth(build, false);
    const own = synth(build, true);
    expect(ours.error).toMatch(/no buckets here/);
    expect(ours.error).toBe(own.error);
  });

  it("fails on a failed validation with cdktf's own message", () => {
    const build = (app: App) => {
      const stack = new FixtureStack(app, "fixture", []);
      stack.node.findChild("bucket").node.addValidation({ validate: () => ["bucket names must be unique"] });
    };
    const ours = synth(build, false);
    const own = synth(build, true);
    expect(ours.error).toMatch(/bucket names must be unique/);
    expect(ours.error).toBe(own.error);
  });

  it("warns, as cdktf does, about an aspect added by another aspect", () => {
    const adding: IAspect = { visit: (n: IConstruct) => (n instanceof S3Bucket ? Aspects.of(n).add({ visit: () => undefined }) : undefined) };
    const build = (app: App) => new FixtureStack(app, "fixture", [adding]);
    const ours = synth(build, false);
    const own = synth(build, true);
    expect(JSON.stringify(ours.manifest)).toMatch(/Aspect was added via another Aspect/);
    expect(ours.manifest).toEqual(own.manifest);
  });
});

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  classifyActions,
  exitCode,
  isStateful,
  renderMarkdown,
  run,
  STATEFUL_RESOURCES,
  type StackPlan,
  stackNameOf,
  summarizePlan,
} from "../../scripts/ci/plan-summary";
import { statefulTypes } from "../../lib/stateful";

const root = join(__dirname, "..", "..");
const fixture = (name: string) => join(root, "test", "fixtures", "ci", name);
const load = (name: string): unknown => JSON.parse(readFileSync(fixture(name), "utf8"));
const stack = (name: string, file: string): StackPlan => ({ stack: name, summary: summarizePlan(load(file)) });

describe("classifyActions", () => {
  it.each([
    [["create"], "create"],
    [["update"], "update"],
    [["delete"], "delete"],
    [["delete", "create"], "replace"],
    [["create", "delete"], "replace"],
    [["forget"], "forget"],
    [["no-op"], null],
    [["read"], null],
  ])("%j -> %s", (actions, kind) => expect(classifyActions(actions)).toBe(kind));
});

describe("the stateful list", () => {
  it("holds the project's stateful types plus StatefulSet and PVC manifests", () => {
    const types = STATEFUL_RESOURCES.map((entry) => entry.type);
    expect(types).toEqual(expect.arrayContaining([...statefulTypes]));
    expect(types.sort()).toEqual(
      [
        "aws_cloudwatch_log_group",
        "aws_db_instance",
        "aws_eks_cluster",
        "aws_kms_key",
        "aws_s3_bucket",
        "aws_secretsmanager_secret",
        "aws_vpc",
        "helm_release",
        "kubernetes_manifest",
        "kubernetes_namespace_v1",
      ].sort(),
    );
    expect(STATEFUL_RESOURCES.find((entry) => entry.type === "kubernetes_manifest")?.manifestKinds).toEqual([
      "StatefulSet",
      "PersistentVolumeClaim",
      "Elasticsearch",
      "Cluster",
      "Tenant",
    ]);
  });

  it("judges kubernetes_manifest by kind, before or after", () => {
    const manifestOf = (kind: string) => ({ manifest: { kind } });
    expect(
      isStateful({ type: "kubernetes_manifest", change: { before: manifestOf("StatefulSet"), after: null } }),
    ).toBe(true);
    expect(
      isStateful({ type: "kubernetes_manifest", change: { before: null, after: manifestOf("PersistentVolumeClaim") } }),
    ).toBe(true);
    expect(isStateful({ type: "kubernetes_manifest", change: { before: manifestOf("Deployment"), after: null } })).toBe(
      false,
    );
    expect(isStateful({ type: "kubernetes_manifest" })).toBe(false);
    expect(isStateful({ type: "aws_s3_bucket" })).toBe(true);
    expect(isStateful({ type: "aws_iam_role" })).toBe(false);
  });
});

describe("summarizePlan", () => {
  it("counts managed changes by kind, ignoring no-ops and data sources", () => {
    const summary = summarizePlan(load("plan-destroys.json"));
    expect(summary.counts).toEqual({ create: 2, update: 1, delete: 2, replace: 1, forget: 0 });
    expect(summary.changes.map((change) => change.address)).not.toContain("aws_vpc.main");
    expect(summary.changes.map((change) => change.address)).not.toContain("data.aws_caller_identity.current");
    expect(summary.errored).toBe(false);
  });

  it("calls out deletes and replaces of stateful resources, not creates or other types", () => {
    const summary = summarizePlan(load("plan-destroys.json"));
    expect(summary.statefulDestroys).toEqual([
      {
        address: "aws_db_instance.platform",
        type: "aws_db_instance",
        kind: "replace",
        stateful: true,
        reason: "replace_because_cannot_update",
      },
      {
        address: "aws_s3_bucket.lake_bronze",
        type: "aws_s3_bucket",
        kind: "delete",
        stateful: true,
        reason: "delete_because_no_resource_config",
      },
    ]);
    expect(summary.changes.find((change) => change.address === "aws_kms_key.logs")).toMatchObject({
      kind: "create",
      stateful: true,
    });
    expect(summary.changes.find((change) => change.address === "aws_iam_policy.old")).toMatchObject({
      kind: "delete",
      stateful: false,
    });
  });

  it("catches a replaced StatefulSet and a deleted PVC, not a deleted Deployment", () => {
    const summary = summarizePlan(load("plan-k8s.json"));
    expect(summary.counts).toEqual({ create: 0, update: 1, delete: 2, replace: 1, forget: 0 });
    expect(summary.statefulDestroys.map((change) => [change.address, change.kind])).toEqual([
      ["kubernetes_manifest.zookeeper", "replace"],
      ["kubernetes_manifest.scratch", "delete"],
    ]);
  });

  it("finds nothing loud in a plan without stateful destroys, and handles an empty plan", () => {
    const safe = summarizePlan(load("plan-safe.json"));
    expect(safe.counts).toEqual({ create: 1, update: 1, delete: 0, replace: 1, forget: 0 });
    expect(safe.statefulDestroys).toEqual([]);
    const empty = summarizePlan(load("plan-empty.json"));
    expect(empty.changes).toEqual([]);
    expect(empty.counts).toEqual({ create: 0, update: 0, delete: 0, replace: 0, forget: 0 });
  });

  it("rejects what is not a plan", () => {
    expect(() => summarizePlan([])).toThrow(/not a Terraform JSON plan/);
    expect(() => summarizePlan({ hello: 1 })).toThrow(/not a Terraform JSON plan/);
    expect(() => summarizePlan({ format_version: "1.2", resource_changes: [{ address: "a.b" }] })).toThrow(
      /malformed resource change/,
    );
  });
});

describe("renderMarkdown", () => {
  const stacks = [
    stack("prod-foundation", "plan-destroys.json"),
    stack("prod-addons", "plan-safe.json"),
    stack("prod-apps", "plan-k8s.json"),
  ];

  it("puts the loud section first, listing every stateful delete and replace with its stack", () => {
    const md = renderMarkdown(stacks, { title: "Plan: prod" });
    expect(md.startsWith("## Plan: prod\n")).toBe(true);
    expect(md).toContain("DESTROYS STATEFUL RESOURCE");
    expect(md.indexOf("DESTROYS STATEFUL RESOURCE")).toBeLessThan(md.indexOf("### prod-foundation"));
    expect(md).toContain("4 stateful resources would be deleted or replaced");
    expect(md).toContain(
      "| prod-foundation | **REPLACE** | `aws_db_instance.platform` | replace_because_cannot_update |",
    );
    expect(md).toContain("| prod-foundation | **DELETE** | `aws_s3_bucket.lake_bronze` |");
    expect(md).toContain("| prod-apps | **REPLACE** | `kubernetes_manifest.zookeeper` |");
    expect(md).toContain("| prod-apps | **DELETE** | `kubernetes_manifest.scratch` |");
    expect(md).not.toMatch(/\| \*\*DELETE\*\* \| `aws_iam_policy\.old`/);
  });

  it("has counts per stack in apply order", () => {
    const md = renderMarkdown(stacks);
    expect(md).toContain("| prod-foundation | 2 | 1 | 2 | 1 | **2** |");
    expect(md).toContain("| prod-addons | 1 | 1 | 0 | 1 | 0 |");
    expect(md).toContain("| prod-apps | 0 | 1 | 2 | 1 | **2** |");
    expect(md.indexOf("### prod-foundation")).toBeLessThan(md.indexOf("### prod-addons"));
    expect(md.indexOf("### prod-addons")).toBeLessThan(md.indexOf("### prod-apps"));
    expect(md).toContain("2 to create, 1 to update, 2 to delete, 1 to replace.");
  });

  it("is quiet without stateful destroys, and says so for an empty plan", () => {
    const md = renderMarkdown([stack("staging-addons", "plan-safe.json"), stack("staging-apps", "plan-empty.json")]);
    expect(md).not.toContain("DESTROYS STATEFUL RESOURCE");
    expect(md).toMatch(/### staging-apps\n\nNo changes\./);
  });

  it("never prints attribute values (plans hold secrets)", () => {
    const md = renderMarkdown(stacks);
    for (const value of ["odp-bronze", "ci-reader", "odp-prod", "0.14.1", "10.20.0.0/16"])
      expect(md).not.toContain(value);
  });
});

describe("exit code", () => {
  const loud = [stack("prod-foundation", "plan-destroys.json")];
  const quiet = [stack("prod-addons", "plan-safe.json")];

  it("is 0 unless asked to fail and a stateful resource is destroyed", () => {
    expect(exitCode(loud, false)).toBe(0);
    expect(exitCode(loud, true)).toBe(2);
    expect(exitCode(quiet, true)).toBe(0);
    expect(exitCode([], true)).toBe(0);
  });

  it("from the CLI: 2 with --fail-on-stateful-destroy, still printing the summary", () => {
    const result = run([
      "--fail-on-stateful-destroy",
      `prod-foundation=${fixture("plan-destroys.json")}`,
      fixture("plan-safe.json"),
    ]);
    expect(result.code).toBe(2);
    expect(result.out).toContain("DESTROYS STATEFUL RESOURCE");
    expect(result.out).toContain("### prod-foundation");
    expect(result.out).toContain("### plan-safe");
    expect(run([fixture("plan-destroys.json")]).code).toBe(0);
    expect(run(["--fail-on-stateful-destroy", fixture("plan-safe.json"), fixture("plan-empty.json")]).code).toBe(0);
  });

  it("from the CLI: 1 on unreadable input or bad usage", () => {
    expect(run([])).toMatchObject({ code: 1, out: expect.stringMatching(/^plan-summary: no plan file given\nusage:/) });
    expect(run(["--nope", "x.json"])).toEqual({
      code: 1,
      out: expect.stringMatching(/^plan-summary: unknown flag --nope\nusage: npm run plan-summary/),
    });
    expect(run(["--title", "--fail-on-stateful-destroy", "x.json"]).out).toMatch(
      /^plan-summary: --title needs a value/,
    );
    expect(run(["--help"])).toEqual({ code: 0, out: expect.stringMatching(/^usage: npm run plan-summary/) });
    expect(
      run(["missing.json"], () => {
        throw new Error("ENOENT: no such file");
      }),
    ).toEqual({ code: 1, out: "plan-summary: missing.json: ENOENT: no such file" });
    expect(run(["x.json"], () => "not json").code).toBe(1);
    expect(run(["x.json"], () => "{}").out).toMatch(/x\.json: not a Terraform JSON plan/);
  });

  it("as a process", () => {
    const tsx = join(root, "node_modules", ".bin", "tsx");
    const proc = spawnSync(
      tsx,
      [
        join(root, "scripts", "ci", "plan-summary.ts"),
        "--title",
        "Plan: prod",
        "--fail-on-stateful-destroy",
        `prod-apps=${fixture("plan-k8s.json")}`,
      ],
      { encoding: "utf8" },
    );
    expect(proc.status).toBe(2);
    expect(proc.stdout).toMatch(/^## Plan: prod\n/);
    expect(proc.stdout).toContain("`kubernetes_manifest.zookeeper`");
    expect(proc.stderr).toContain("a stateful resource would be deleted or replaced");
  });
});

describe("stackNameOf", () => {
  it("takes the stack from name=path or the file name", () => {
    expect(stackNameOf("prod-apps=/tmp/x.json")).toEqual({ stack: "prod-apps", path: "/tmp/x.json" });
    expect(stackNameOf("/tmp/plans/prod-apps.json")).toEqual({ stack: "prod-apps", path: "/tmp/plans/prod-apps.json" });
    expect(stackNameOf("prod-apps.tfplan.json")).toEqual({ stack: "prod-apps", path: "prod-apps.tfplan.json" });
  });
});

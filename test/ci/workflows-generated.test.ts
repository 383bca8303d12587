// The workflows are generated from configuration: the committed ones are current, an environment
// added to the configuration appears in every workflow in its place in the apply order, and the
// runner must reach a private EKS endpoint.
import { mkdtempSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { environmentInputs, loadEnvironments, loadOrThrow } from "../../config";
import { ciEnvironments, runWorkflows, workflows } from "../../scripts/ci/workflows";
import { fixtureInputs } from "../fixtures/environments";
import { inputs } from "../helpers";

const root = join(__dirname, "..", "..");

/** The sample plus `qa`, copied from staging with its own name, region, domain, CIDR and runner. */
function withQa(): Record<string, any> {
  const raw = inputs();
  raw.qa = {
    ...structuredClone(raw.staging),
    name: "qa",
    aws: { ...raw.staging.aws, region: "eu-west-1" },
    backend: { ...raw.staging.backend, region: "eu-west-1", bucket: "odp-qa-state-eu-west-1" },
    domain: "qa.data.fixture.example",
    network: { ...raw.staging.network, cidr: "10.40.0.0/16" },
    ci: { ...raw.staging.ci, runner: { kind: "self-hosted", labels: ["self-hosted", "odp-qa"] } },
    policy: { waivers: [] },
  };
  return raw;
}

describe("generated CI workflows", () => {
  it("are current: .github/workflows match what the configuration gives (npm run ci-workflows)", () => {
    for (const [path, text] of Object.entries(workflows(loadOrThrow(environmentInputs)))) {
      expect(readFileSync(join(root, path), "utf8") === text, `${path} is stale: run npm run ci-workflows`).toBe(true);
    }
    expect(runWorkflows(["--check"])).toBe(0);
  });

  it("put a new environment in every workflow, with its own role, region and runner", () => {
    const generated = workflows(loadOrThrow(withQa()));
    const main = parse(generated[".github/workflows/plan-and-apply.yml"]!);
    expect(main.jobs.plan.strategy.matrix.include.map((entry: { environment: string }) => entry.environment)).toEqual([
      "staging",
      "qa",
      "prod",
      "dr",
    ]);
    expect(main.jobs.plan.strategy.matrix.include[1]).toEqual({
      environment: "qa",
      "plan-role": "arn:aws:iam::111122223333:role/odp-qa-ci-plan",
      "aws-region": "eu-west-1",
      runner: ["self-hosted", "odp-qa"],
    });
    expect(main.jobs["apply-qa"].needs).toEqual(["resolve"]);
    expect(main.jobs["apply-prod"].needs).toEqual(["resolve", "apply-staging", "apply-qa"]);
    expect(main.jobs["apply-qa"].with["replan-approval-environment"]).toBe("qa-replan");
    const comment = main.jobs.comment.steps.find((step: { env?: Record<string, string> }) => step.env?.ENVIRONMENTS);
    expect(JSON.parse(comment.env.ENVIRONMENTS)).toEqual(["staging", "qa", "prod", "dr"]);
    const manual = parse(generated[".github/workflows/apply-stacks.yml"]!);
    expect(manual.on.workflow_dispatch.inputs.environment.options).toEqual(["staging", "qa", "prod", "dr"]);
    expect(manual.jobs["apply-qa"].with).toMatchObject({
      environment: "qa",
      "aws-region": "eu-west-1",
      runner: '["self-hosted","odp-qa"]',
    });
  });

  it("apply prod before dr, and dr last: its database and replication read prod's", () => {
    const order = ciEnvironments(loadOrThrow(fixtureInputs)).map((env) => env.name);
    expect(order).toEqual(["staging", "prod", "dr"]);
    const dr = ciEnvironments(loadOrThrow(fixtureInputs)).find((env) => env.name === "dr")!;
    expect(dr.after.map((dependency) => dependency.name)).toEqual(["prod"]);
  });

  it("refuse GitHub's hosted runners for a private EKS endpoint", () => {
    const raw = inputs();
    raw.staging.ci = { ...raw.staging.ci, runner: { kind: "github-hosted" } };
    const result = loadEnvironments(raw);
    expect(result.ok ? [] : result.errors).toEqual([
      expect.stringMatching(
        /^config error in staging: ci\.runner must be self-hosted or codebuild .*cluster\.publicAccessCidrs is empty/,
      ),
    ]);
    raw.staging.cluster.publicAccessCidrs = ["203.0.113.0/24"];
    expect(loadEnvironments(raw).ok).toBe(true);
  });

  it("name a CodeBuild runner per run, as CodeBuild-hosted runners are addressed", () => {
    const prod = ciEnvironments(loadOrThrow(fixtureInputs)).find((env) => env.name === "prod")!;
    expect(prod.runner).toEqual(["codebuild-odp-prod-github-runner-${{ github.run_id }}-${{ github.run_attempt }}"]);
  });

  it("--check fails on a stale workflow; --help answers; an unknown flag is refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "odp-ci-"));
    mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
    expect(runWorkflows(["--check"], dir)).toBe(1);
    expect(runWorkflows([], dir)).toBe(0);
    expect(runWorkflows(["--check"], dir)).toBe(0);
    expect(runWorkflows(["--check"], dir, withQa())).toBe(1);
    expect(runWorkflows(["--help"], dir)).toBe(0);
    expect(runWorkflows(["--force"], dir)).toBe(2);
  });
});

// The GitHub Actions workflows for users: valid YAML whose jobs follow docs/ci.md. GitHub itself
// is not run here; these checks pin the properties that matter for safety.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { loadOrThrow } from "../../config";
import { engines } from "../../config/engines";
import { workflows } from "../../scripts/ci/workflows";
import { fixtureInputs } from "../fixtures/environments";

const root = join(__dirname, "..", "..");
const files = { main: ".github/workflows/plan-and-apply.yml", env: ".github/workflows/apply-environment.yml" } as const;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  "runs-on"?: string;
  "timeout-minutes"?: number;
  permissions?: Record<string, string>;
  environment?: string;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  strategy?: { matrix?: { include?: Record<string, string>[] } };
  steps?: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

/** The reusable workflow as committed; the generated ones as the fixture environments give them
 *  (test/ci/workflows-generated.test.ts holds the committed ones to your configuration). */
const generated = workflows(loadOrThrow(fixtureInputs));
function load(path: string): { text: string; wf: Workflow } {
  const text = generated[path] ?? readFileSync(join(root, path), "utf8");
  const doc = parseDocument(text);
  expect(
    doc.errors.map((error) => error.message),
    path,
  ).toEqual([]);
  expect(
    doc.warnings.map((warning) => warning.message),
    path,
  ).toEqual([]);
  return { text, wf: doc.toJS() as Workflow };
}

const main = load(files.main);
const reusable = load(files.env);
const all = [main, reusable];
const jobsOf = (workflow: Workflow) => Object.entries(workflow.jobs);
const allJobs = all.flatMap(({ wf }) => jobsOf(wf));
const allSteps = allJobs.flatMap(([, j]) => j.steps ?? []);
const needs = (j: Job) => (Array.isArray(j.needs) ? j.needs : j.needs ? [j.needs] : []);
const runs = (j: Job) => (j.steps ?? []).map((step) => step.run ?? "").join("\n");
const uses = (j: Job, action: string) => (j.steps ?? []).filter((step) => step.uses?.split("@")[0] === action);

describe("plan-and-apply workflow", () => {
  it("scans every stack with Checkov and Trivy at the versions the live tier pins", () => {
    const scan = main.wf.jobs.scan!;
    expect(needs(scan)).toEqual(["test"]);
    const text = runs(scan);
    expect(text).toContain(`checkov==${engines.python.checkov}`);
    expect(text).toContain(`github.com/aquasecurity/trivy/cmd/trivy@${engines.trivy.version}`);
    expect(text).toContain(`GOEXPERIMENT=${engines.trivy.goExperiment}`);
    expect(text.indexOf("npm run synth")).toBeLessThan(text.indexOf("npm run scan"));
  });

  it("runs on pull requests and pushes to main", () => {
    const on = main.wf.on;
    expect(Object.keys(on)).toEqual(expect.arrayContaining(["pull_request", "push"]));
    expect((on.push as { branches: string[] }).branches).toEqual(["main"]);
    expect(main.wf.permissions).toEqual({ contents: "read" });
    expect(reusable.wf.on).toHaveProperty("workflow_call");
  });

  it("has the jobs, in order: test, plan per environment, comment; on main staging -> prod -> dr", () => {
    const jobs = main.wf.jobs;
    expect(Object.keys(jobs)).toEqual(
      expect.arrayContaining(["test", "plan", "comment", "resolve", "apply-staging", "apply-prod", "apply-dr"]),
    );
    expect(needs(jobs.plan!)).toEqual(["test"]);
    expect(needs(jobs.comment!)).toEqual(["plan"]);
    expect(needs(jobs["apply-prod"]!)).toContain("apply-staging");
    expect(needs(jobs["apply-dr"]!)).toContain("apply-prod");
    expect(jobs.plan!.if).toContain("github.event_name == 'pull_request'");
    expect(jobs.resolve!.if).toContain("github.event_name != 'pull_request'");
    expect(jobs.resolve!.if).toContain("refs/heads/main");
  });

  it("installs, type checks, tests and synthesizes first", () => {
    const test = main.wf.jobs.test!;
    const node = uses(test, "actions/setup-node")[0];
    expect(node?.with).toMatchObject({ "node-version": 20, cache: "npm" });
    const commands = (test.steps ?? []).map((step) => step.run).filter(Boolean);
    expect(commands.indexOf("npm ci")).toBeLessThan(commands.indexOf("npm test"));
    expect(commands.indexOf("npm test")).toBeLessThan(commands.indexOf("npm run synth"));
  });

  it("plans staging, prod and dr, never dev", () => {
    const envs = main.wf.jobs.plan!.strategy?.matrix?.include?.map((entry) => entry.environment);
    expect(envs).toEqual(["staging", "prod", "dr"]);
    expect(main.text).not.toMatch(/environment: dev\b/);
  });

  it("plans each stack in dependency order and summarizes with the project's scripts", () => {
    const script = runs(main.wf.jobs.plan!);
    expect(script).toContain('npx tsx scripts/ci/stack-order.ts --env "$ENVIRONMENT"');
    expect(script).toContain('terraform -chdir="$dir" init -input=false');
    expect(script).toContain('terraform -chdir="$dir" plan -input=false -lock-timeout=5m -out="$stack.tfplan"');
    expect(script).toContain('terraform -chdir="$dir" show -json "$stack.tfplan"');
    expect(script).toContain("npx tsx scripts/ci/plan-summary.ts");
    expect(script).toContain('dir="cdktf.out/stacks/$stack"');
    for (const scriptName of ["stack-order", "plan-summary"])
      expect(existsSync(join(root, "scripts", "ci", `${scriptName}.ts`))).toBe(true);
  });

  it("posts one sticky comment through github-script", () => {
    const comment = main.wf.jobs.comment!;
    expect(comment.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    const script = String(uses(comment, "actions/github-script")[0]?.with?.script);
    expect(script).toContain("<!-- plan-and-apply:plan-summary -->");
    expect(script).toContain("updateComment");
    expect(script).toContain("createComment");
  });

  it("keys the plan artifact by the PR head commit", () => {
    const upload = uses(main.wf.jobs.plan!, "actions/upload-artifact").find((step) =>
      String(step.with?.name).startsWith("plans-"),
    );
    expect(upload?.with?.name).toBe("plans-${{ matrix.environment }}-${{ github.event.pull_request.head.sha }}");
    expect(reusable.text).toContain('--name "plans-$ENVIRONMENT-$HEAD_SHA"');
  });
});

describe("apply-environment workflow", () => {
  const jobs = reusable.wf.jobs;

  it("applies saved plans only, stack by stack in dependency order, in the apply job", () => {
    const apply = runs(jobs.apply!);
    expect(apply).toContain('npx tsx scripts/ci/stack-order.ts --env "$ENVIRONMENT"');
    expect(apply).toContain('terraform -chdir="$dir" apply -input=false -lock-timeout=5m "$stack.tfplan"');
    expect(apply).toContain("-lockfile=readonly");
    for (const [id, j] of allJobs) if (id !== "apply") expect(runs(j), id).not.toMatch(/terraform\b[^\n]*\bapply\b/);
    expect(reusable.text).not.toContain("-auto-approve");
    expect(main.text).not.toMatch(/cdktf (deploy|apply)/);
  });

  it("uses the reviewed plan when valid, else re-plans, and gates stateful destroys", () => {
    const prepare = runs(jobs.prepare!);
    expect(prepare).toContain("git rev-parse 'HEAD^{tree}'");
    expect(prepare).toContain('terraform -chdir="$dir" plan -input=false -lock-timeout=5m -out="$stack.tfplan"');
    expect(prepare).toContain("npx tsx scripts/ci/plan-summary.ts");
    expect(prepare).toContain("--fail-on-stateful-destroy");
    expect(jobs.prepare!.environment).toBeUndefined();
  });

  it("runs the apply in the GitHub environment; a re-plan needs approval where the environment has none", () => {
    expect(jobs.apply!.environment).toBe("${{ inputs.environment }}");
    expect(needs(jobs.apply!)).toEqual(["prepare", "approve-replan"]);
    expect(jobs.apply!.if).toContain("needs.prepare.result == 'success'");
    expect(jobs["approve-replan"]!.environment).toBe("${{ inputs.replan-approval-environment }}");
    expect(jobs["approve-replan"]!.if).toContain("needs.prepare.outputs.source == 'replanned'");
    expect(jobs["approve-replan"]!.permissions).toEqual({});
  });

  it("is called for staging (re-plans approved in staging-replan), prod and dr (their environments protected)", () => {
    const calls = Object.fromEntries(
      jobsOf(main.wf)
        .filter(([, j]) => j.uses === "./.github/workflows/apply-environment.yml")
        .map(([id, j]) => [id, j.with ?? {}]),
    );
    expect(Object.keys(calls).sort()).toEqual(["apply-dr", "apply-prod", "apply-staging"]);
    expect(calls["apply-staging"]).toMatchObject({
      environment: "staging",
      "replan-approval-environment": "staging-replan",
    });
    // prod and dr: the apply job runs in environment prod / dr, whose required reviewers approve every apply.
    expect(calls["apply-prod"]).toMatchObject({ environment: "prod", "replan-approval-environment": "" });
    expect(calls["apply-dr"]).toMatchObject({ environment: "dr", "replan-approval-environment": "" });
    // Roles, region and runner come from configuration (npm run ci-workflows).
    for (const [id, call] of Object.entries(calls)) {
      const env = id.replace("apply-", "");
      expect(call["plan-role"]).toBe(`arn:aws:iam::111122223333:role/odp-${env}-ci-plan`);
      expect(call["apply-role"]).toBe(`arn:aws:iam::111122223333:role/odp-${env}-ci-apply`);
      expect(call["aws-region"]).toBe(env === "dr" ? "us-west-2" : "us-east-1");
      expect(JSON.parse(String(call.runner))).not.toContain("ubuntu-24.04");
    }
  });
});

describe("both workflows", () => {
  it("reach AWS through OIDC only: id-token write, a role to assume, never static keys", () => {
    for (const { text } of all) {
      expect(text).not.toMatch(
        /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-session-token/i,
      );
      expect(text).not.toMatch(/secrets\./);
    }
    const awsJobs = allJobs.filter(([, j]) => uses(j, "aws-actions/configure-aws-credentials").length > 0);
    expect(awsJobs.map(([id]) => id).sort()).toEqual(["apply", "plan", "prepare"]);
    for (const [id, j] of awsJobs) {
      expect(j.permissions?.["id-token"], id).toBe("write");
      expect(j.permissions?.contents, id).toBe("read");
      const step = uses(j, "aws-actions/configure-aws-credentials")[0]!;
      expect(String(step.with?.["role-to-assume"]), id).toMatch(/^\$\{\{ (vars|matrix|inputs)\.[\w-]+ \}\}$/);
    }
    expect(main.wf.jobs.plan!.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
    // The apply role comes from configuration; its trust policy admits only the apply job's GitHub environment.
    expect(uses(reusable.wf.jobs.apply!, "aws-actions/configure-aws-credentials")[0]!.with?.["role-to-assume"]).toBe(
      "${{ inputs.apply-role }}",
    );
    // Jobs that reach AWS and the cluster run on the environment's runner, which reaches its private endpoint.
    expect(main.wf.jobs.plan!["runs-on"]).toBe("${{ matrix.runner }}");
    for (const id of ["prepare", "apply"])
      expect(reusable.wf.jobs[id]!["runs-on"]).toBe("${{ fromJSON(inputs.runner) }}");
  });

  it("keep artifacts (plans hold secrets) for at most a day", () => {
    const uploads = allSteps.filter((step) => step.uses?.startsWith("actions/upload-artifact@"));
    expect(uploads.length).toBeGreaterThanOrEqual(3);
    for (const upload of uploads) {
      expect(Number(upload.with?.["retention-days"]), String(upload.with?.name)).toBeGreaterThan(0);
      expect(Number(upload.with?.["retention-days"]), String(upload.with?.name)).toBeLessThanOrEqual(1);
    }
    for (const { text } of all) expect(text).toMatch(/plan(s| files)? hold secrets/i);
  });

  it("set up Terraform >= 1.11 without the wrapper, one pinned version for plan and apply", () => {
    const versions = all.map(({ wf }) => wf.env?.TF_VERSION);
    expect(versions[0]).toBeDefined();
    expect(versions[1]).toBe(versions[0]);
    const [major, minor] = versions[0]!.split(".").map(Number);
    expect(major! > 1 || (major === 1 && minor! >= 11), `Terraform ${versions[0]}`).toBe(true);
    const setups = allSteps.filter((step) => step.uses?.startsWith("hashicorp/setup-terraform@"));
    expect(setups.length).toBe(3);
    for (const setup of setups) {
      expect(setup.with?.terraform_version).toBe("${{ env.TF_VERSION }}");
      expect(setup.with?.terraform_wrapper).toBe(false);
    }
  });

  it("pin every action to a major tag or a commit", () => {
    const actions = allSteps.map((step) => step.uses).filter((action): action is string => action !== undefined);
    expect(actions.length).toBeGreaterThan(10);
    for (const action of actions) expect(action).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+|[0-9a-f]{40})$/);
  });

  it("bound every job in time and serialize plans and applies per environment", () => {
    for (const [id, j] of allJobs) {
      if (j.uses) continue; // a reusable-workflow call: its own jobs carry the timeouts
      expect(j["timeout-minutes"], id).toBeGreaterThan(0);
      expect(j["timeout-minutes"], id).toBeLessThanOrEqual(180);
    }
    expect(main.wf.jobs.plan!.concurrency?.group).toContain("${{ matrix.environment }}");
    expect(reusable.wf.jobs.apply!.concurrency).toEqual({
      group: "apply-${{ inputs.environment }}",
      "cancel-in-progress": false,
    });
    expect(reusable.wf.jobs.prepare!.concurrency?.group).toContain("${{ inputs.environment }}");
  });

  it("delete the JSON plans, which print sensitive values in plain text", () => {
    expect(runs(main.wf.jobs.plan!)).toContain('rm -rf "$RUNNER_TEMP/plan/json"');
    expect(runs(reusable.wf.jobs.prepare!)).toContain('rm -rf "$RUNNER_TEMP/prepare/json"');
    for (const upload of allSteps.filter((step) => step.uses?.startsWith("actions/upload-artifact@")))
      expect(String(upload.with?.path)).not.toContain("json");
  });
});

describe("apply-stacks workflow (manual: one environment, or some of its stacks)", () => {
  const manual = load(".github/workflows/apply-stacks.yml");

  it("is dispatched by hand for one environment and optionally some of its stacks, from main only", () => {
    expect(Object.keys(manual.wf.on)).toEqual(["workflow_dispatch"]);
    const inputs = (manual.wf.on.workflow_dispatch as { inputs: Record<string, { options?: string[] }> }).inputs;
    expect(inputs.environment!.options).toEqual(["staging", "prod", "dr"]);
    expect(Object.keys(inputs)).toEqual(["environment", "stacks", "allow-stateful-destroy"]);
    for (const env of ["staging", "prod", "dr"])
      expect(manual.wf.jobs[`apply-${env}`]!.if).toBe(
        `github.ref == 'refs/heads/main' && inputs.environment == '${env}'`,
      );
  });

  it("applies through the reusable workflow: re-planned, approved, the environment's own plan role", () => {
    for (const env of ["staging", "prod", "dr"]) {
      const call = manual.wf.jobs[`apply-${env}`]!;
      expect(call.uses).toBe("./.github/workflows/apply-environment.yml");
      expect(call.permissions).toEqual({ contents: "read", actions: "read", "id-token": "write" });
      expect(call.with).toMatchObject({
        environment: env,
        stacks: "${{ inputs.stacks }}",
        "plan-role": `arn:aws:iam::111122223333:role/odp-${env}-ci-plan`,
      });
      expect(call.with?.["reviewed-run-id"]).toBeUndefined(); // nothing reviewed: always a re-plan
      expect(call.with?.["replan-approval-environment"]).toBe(env === "staging" ? "staging-replan" : "");
    }
    expect(manual.text).not.toMatch(/secrets\.|aws-access-key-id/i);
  });

  it("narrows both the plan and the apply to the chosen stacks, in dependency order", () => {
    expect(Object.keys((reusable.wf.on.workflow_call as { inputs: Record<string, unknown> }).inputs)).toContain(
      "stacks",
    );
    expect(runs(reusable.wf.jobs.prepare!)).toContain('stack-order.ts --env "$ENVIRONMENT" --only "$ONLY"');
    expect(runs(reusable.wf.jobs.apply!)).toContain('stack-order.ts --env "$ENVIRONMENT" --only "$ONLY"');
  });
});

// The failover runbook is written from configuration: the committed one is current, another
// team's values give a runbook with theirs and none of the sample's, and its outage path calls
// nothing but the standby's region.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { environmentInputs, loadOrThrow, type AwsEnvironment } from "../config";
import { failoverRunbooks, outageViolations, type FailoverRunbook } from "../scripts/lib/failover-runbook";
import { runRunbook } from "../scripts/runbook";
import { fixtureInputs } from "./fixtures/environments";
import { inputs } from "./helpers";

const root = join(__dirname, "..");
const aws = (raw: Record<string, unknown>) =>
  loadOrThrow(raw).filter((env): env is AwsEnvironment => env.platform === "aws");
const pair = (envs: AwsEnvironment[], standby: string) => {
  const standbyEnv = envs.find((env) => env.name === standby)!;
  return { source: envs.find((env) => env.name === standbyEnv.standbyOf)!, standby: standbyEnv };
};

/** Another team's prod and dr: own account, regions, names, domain and zone. */
function otherTeam(): Record<string, any> {
  const raw = inputs();
  const account = "210987654321";
  const { prod, dr } = raw;
  for (const [env, name, region] of [
    [prod, "live", "eu-west-1"],
    [dr, "standby", "eu-central-1"],
  ] as const) {
    env.name = name;
    env.aws = { accountId: account, region };
    env.backend = { ...env.backend, bucket: `tfstate-${account}-${region}`, region };
    env.cluster = { ...env.cluster, adminRoleArn: `arn:aws:iam::${account}:role/ops` };
    env.lake = { ...env.lake, bucketPrefix: `lake-${account}` };
    env.dns = { zone: "corp.internal.io", zoneId: "Z09ABCDEFGHIJK" };
    env.policy = { waivers: [] };
  }
  prod.domain = "analytics.corp.internal.io";
  dr.domain = "dr.analytics.corp.internal.io";
  dr.standbyOf = "live";
  delete raw.prod;
  delete raw.dr;
  return { ...raw, live: prod, standby: dr };
}

describe("failover runbook", () => {
  it("is current: docs/runbooks match what the configuration gives (npm run runbook)", () => {
    for (const runbook of failoverRunbooks(aws(environmentInputs))) {
      expect(
        readFileSync(join(root, runbook.path), "utf8") === runbook.markdown,
        `${runbook.path} is stale: run npm run runbook`,
      ).toBe(true);
    }
    expect(runRunbook(["--check"], root)).toBe(0);
  });

  it("carries another team's values and none of the sample's", () => {
    const envs = aws(otherTeam());
    const [runbook] = failoverRunbooks(envs);
    expect(runbook!.path).toBe("docs/runbooks/standby-failover.md");
    for (const sample of [
      "111122223333",
      "us-west-2",
      "fixture.example",
      "odp-prod",
      "odp-dr",
      "prod-",
      "dr-foundation",
    ]) {
      expect(runbook!.markdown.includes(sample), `sample value ${sample} in the runbook`).toBe(false);
    }
    for (const theirs of [
      "210987654321",
      "eu-west-1",
      "eu-central-1",
      "analytics.corp.internal.io",
      "odp-standby",
      "standby-foundation",
      "standby-replication",
      "lake-210987654321-live-bronze",
      "tfstate-210987654321-eu-central-1",
    ]) {
      expect(runbook!.markdown.includes(theirs), `${theirs} missing from the runbook`).toBe(true);
    }
  });

  for (const [label, raw, standby] of [
    ["the fixtures'", fixtureInputs, "dr"],
    ["another team's", otherTeam(), "standby"],
  ] as const) {
    it(`with ${label} values, its outage path calls the standby's region only`, () => {
      const { source, standby: standbyEnv } = pair(aws(raw), standby);
      const [runbook] = failoverRunbooks(aws(raw));
      expect(outageViolations(runbook!, source, standbyEnv)).toEqual([]);
      // Every command of the path is in the page, in its order.
      const commands = runbook!.outage.flatMap((step) => step.commands);
      const positions = commands.map((command) => runbook!.markdown.indexOf(command));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect([...positions].sort((left, right) => left - right)).toEqual(positions);
    });
  }

  it("catches an outage step that would need prod's region or a global control plane", () => {
    const { source, standby } = pair(aws(fixtureInputs), "dr");
    const [runbook] = failoverRunbooks(aws(fixtureInputs));
    const doctored = (commands: string[]): FailoverRunbook => ({ ...runbook!, outage: [{ title: "bad", commands }] });
    const found = (commands: string[]) =>
      outageViolations(doctored(commands), source, standby).map((violation) =>
        violation.replace(/^bad: ([^:]+):.*$/, "$1"),
      );
    expect(found(["aws route53 list-hosted-zones --region us-west-2"])).toEqual([
      "calls route53, a global control plane",
    ]);
    expect(found(["aws rds promote-read-replica --db-instance-identifier odp-dr"])).toEqual([
      "an aws command without --region us-west-2",
    ]);
    expect(found(["aws s3 ls --region us-east-1"])).toEqual([
      "names prod's region us-east-1",
      "an aws command without --region us-west-2",
    ]);
    expect(found(["terraform -chdir=cdktf.out/stacks/dr-replication apply x.tfplan"])).toEqual([
      "applies dr-replication, not a stack of the failover",
    ]);
    expect(found(["terraform -chdir=cdktf.out/stacks/dr-apps plan -input=false -out=x"])).toEqual([
      "plans with a refresh (reads IAM and Route 53)",
    ]);
  });

  it("answers --help and rejects an unknown flag", () => {
    expect(runRunbook(["--help"], root)).toBe(0);
    expect(runRunbook(["--write"], root)).toBe(2);
  });
});

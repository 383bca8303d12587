// A failover is for when prod's region is down. The stacks it applies (dr-foundation, dr-addons,
// dr-apps) must then plan and apply through dr's region alone: no provider for prod's region, no
// data source of a global control plane (IAM and Route 53 run theirs in us-east-1), and no change
// to a global resource. Replication from prod lives in dr-replication, applied once prod is back.
// Also: what replicates from prod into dr is the lake's data and prod's snapshots, never a
// cluster's working files.
import { describe, expect, it } from "vitest";
import { loadEnvironments } from "../config";
import {
  byAddress,
  diff,
  drStacks,
  promoted,
  promotedReplication,
  standby,
  standbyReplication,
} from "./failover-fixture";
import { inputs, resources, synthAll, type Synthesized } from "./helpers";
import { fixtureInputs } from "./fixtures/environments";

/** Resource types whose API is a global control plane (IAM's and Route 53's are in us-east-1). */
const globalControlPlane =
  /^(data\.)?aws_(iam_(?!policy_document)|route53_|cloudfront_|organizations_|shield_|globalaccelerator_)/;
const drRegion = "us-west-2";

describe("a failover with prod's region down", () => {
  for (const id of drStacks) {
    it(`${id} has providers for dr's region only`, () => {
      for (const stack of [standby[id], promoted[id]]) {
        expect((stack.provider!.aws ?? []).map((provider) => [provider.alias, provider.region])).toEqual([
          [undefined, drRegion],
        ]);
      }
    });

    it(`${id} reads no global control plane at plan time`, () => {
      const data = [...byAddress(promoted[id]).keys()].filter((address) => address.startsWith("data."));
      expect(data.filter((address) => globalControlPlane.test(address))).toEqual([]);
    });

    it(`${id} changes no global resource when it fails over`, () => {
      const stackDiff = diff(standby[id], promoted[id]);
      expect(
        [...stackDiff.added, ...stackDiff.removed, ...Object.keys(stackDiff.changed)].filter((address) =>
          globalControlPlane.test(address),
        ),
      ).toEqual([]);
    });
  }

  it("a violating stack is caught: a zone looked up by name, a role changed", () => {
    expect(globalControlPlane.test("data.aws_route53_zone.zone")).toBe(true);
    expect(globalControlPlane.test("aws_iam_role_policy.role-external-secrets_policy")).toBe(true);
    expect(globalControlPlane.test("data.aws_iam_policy_document.trust")).toBe(false);
  });

  it("external-secrets may read the master secret RDS creates on promotion, granted before it", () => {
    const policies = resources(standby["dr-foundation"], "aws_iam_role_policy").map(
      (policy) => JSON.parse(policy.policy) as { Statement: { Sid: string }[] },
    );
    const grant = policies.flatMap((doc) => doc.Statement).find((st) => st.Sid === "ReadPromotedMasterSecret");
    expect(grant).toMatchObject({
      Resource: expect.stringMatching(/^arn:aws:secretsmanager:us-west-2:\d{12}:secret:rds!db-\*$/),
      Condition: {
        StringEquals: {
          "secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn": expect.stringMatching(
            /^arn:aws:rds:us-west-2:\d{12}:db:odp-dr$/,
          ),
        },
      },
    });
  });

  it("a standby needs its hosted zone's id, which spares it any lookup by name", () => {
    const raw = inputs();
    delete raw.prod.dns.zoneId;
    const result = loadEnvironments(raw);
    expect(result.ok ? [] : result.errors).toEqual([
      expect.stringMatching(/^config error in dr: dns\.zoneId is required for a standby/),
    ]);
    expect(loadEnvironments(fixtureInputs).ok).toBe(true);
  });
});

describe("replication from prod into dr", () => {
  const rules = (stack: Synthesized) =>
    resources(stack, "aws_s3_bucket_replication_configuration").flatMap((rc) =>
      (rc.rule as { id: string; filter: { prefix: string }; destination: { bucket: string } }[]).map((rule) => ({
        source: rc.bucket as string,
        ...rule,
      })),
    );

  it("lives in dr-replication, through a provider for prod's region", () => {
    expect(standbyReplication.provider!.aws!.map((provider) => [provider.alias, provider.region])).toEqual([
      [undefined, drRegion],
      ["source", "us-east-1"],
    ]);
    for (const id of drStacks) expect(resources(standby[id], "aws_s3_bucket_replication_configuration")).toEqual([]);
  });

  it("copies the lake's zones whole, and of the platform bucket prod's snapshot repository only", () => {
    const byId = Object.fromEntries(rules(standbyReplication).map((rule) => [rule.id, rule]));
    expect(Object.keys(byId).sort()).toEqual([
      "bronze-to-standby",
      "gold-to-standby",
      "silver-to-standby",
      "snapshots-to-standby",
    ]);
    for (const zone of ["bronze", "silver", "gold"])
      expect(byId[`${zone}-to-standby`]).toMatchObject({
        source: `odp-111122223333-prod-${zone}`,
        filter: { prefix: "" },
      });
    expect(byId["snapshots-to-standby"]).toMatchObject({
      source: "odp-111122223333-prod-platform",
      filter: { prefix: "elasticsearch/snapshots/prod/" },
      destination: { bucket: "arn:aws:s3:::odp-111122223333-dr-platform" },
    });
  });

  it("never reaches the files dr's own Dremio and Elasticsearch write", () => {
    // dr's Dremio keeps its distributed storage in dr's platform bucket, which only prod's snapshots reach.
    const dist = [...JSON.stringify(synthAll().get("dr-apps")!).matchAll(/dist: \\"([^\\]+)\\"/g)].map(
      (match) => match[1],
    );
    expect(new Set(dist)).toEqual(new Set(["dremioS3:///odp-111122223333-dr-platform/dremio"]));
    const prefixes = rules(standbyReplication)
      .filter((rule) => rule.source.endsWith("-platform"))
      .map((rule) => rule.filter.prefix);
    for (const own of ["dremio/", "elasticsearch/snapshots/dr/"])
      expect(prefixes.filter((prefix) => own.startsWith(prefix))).toEqual([]);
  });

  it("registers prod's replicated snapshots in dr read-only, beside dr's own repository", () => {
    const job = resources(synthAll().get("dr-apps")!, "kubernetes_manifest").find(
      (resource) =>
        resource.manifest.kind === "Job" &&
        String(resource.manifest.metadata.name).startsWith("elasticsearch-snapshot-setup"),
    )!;
    const env = Object.fromEntries(
      (job.manifest.spec.template.spec.containers[0].env as { name: string; value?: string }[]).map((envVar) => [
        envVar.name,
        envVar.value,
      ]),
    );
    expect(JSON.parse(env.REPOSITORY!).settings).toMatchObject({
      bucket: "odp-111122223333-dr-platform",
      base_path: "elasticsearch/snapshots/dr",
    });
    expect(JSON.parse(env.READONLY_REPOSITORY_0!)).toEqual({
      type: "s3",
      settings: {
        bucket: "odp-111122223333-dr-platform",
        base_path: "elasticsearch/snapshots/prod",
        region: drRegion,
        readonly: true,
      },
    });
    expect(job.manifest.spec.template.spec.containers[0].command.join(" ")).toContain(
      '_snapshot/prod-snapshots" --data "$READONLY_REPOSITORY_0"',
    );
    // prod writes its own repository, and registers no other.
    const prodJob = resources(synthAll().get("prod-apps")!, "kubernetes_manifest").find(
      (resource) =>
        resource.manifest.kind === "Job" &&
        String(resource.manifest.metadata.name).startsWith("elasticsearch-snapshot-setup"),
    )!;
    expect(JSON.stringify(prodJob)).not.toContain("READONLY_REPOSITORY");
  });

  it("dr's snapshot role writes dr's repository and only reads prod's", () => {
    const role = resources(standby["dr-foundation"], "aws_iam_role").find(
      (iamRole) => iamRole.name === "odp-dr-es-snapshots",
    )!;
    const policy = JSON.parse(
      role.inline_policy?.[0]?.policy ??
        resources(standby["dr-foundation"], "aws_iam_role_policy").find((rolePolicy) =>
          String(rolePolicy.role).includes("es-snapshots"),
        )!.policy,
    );
    const statements = policy.Statement as { Sid: string; Action: string | string[]; Resource: string | string[] }[];
    const on = (prefix: string) =>
      statements.filter((st) => [st.Resource].flat().some((arn) => arn.endsWith(`/${prefix}/*`)));
    expect(on("elasticsearch/snapshots/dr").flatMap((st) => [st.Action].flat())).toContain("s3:PutObject");
    expect(on("elasticsearch/snapshots/prod").flatMap((st) => [st.Action].flat())).toEqual(["s3:GetObject"]);
  });

  it("a promoted dr's replication stack declares nothing: applying it fences the lake", () => {
    expect(promotedReplication.resource ?? {}).toEqual({});
    expect(promotedReplication.data ?? {}).toEqual({});
  });
});

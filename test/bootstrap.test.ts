// `npm run bootstrap`: what an empty account needs before the first plan, from configuration.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs, synthBootstrap } from "../scripts/bootstrap";
import { inputs, resources, synthAll, type Synthesized } from "./helpers";
import { fixtureInputs } from "./fixtures/environments";

function synth(raw: Record<string, unknown> = fixtureInputs, account?: string): Record<string, Synthesized> {
  const dir = mkdtempSync(join(tmpdir(), "odp-bootstrap-"));
  const result = synthBootstrap(raw, dir, account);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return Object.fromEntries(
    result.stacks.map((id) => [
      id,
      JSON.parse(readFileSync(join(dir, "stacks", id, "cdk.tf.json"), "utf8")) as Synthesized,
    ]),
  );
}
const byName = (stack: Synthesized, type: string, key: string) =>
  Object.fromEntries(resources(stack, type).map((resource) => [resource[key] as string, resource]));

describe("bootstrap", () => {
  const stacks = synth();
  const stack = stacks["bootstrap-111122223333"]!;

  it("is one stack per account, with local state beside cdktf.out", () => {
    expect(Object.keys(stacks)).toEqual(["bootstrap-111122223333"]);
    expect((stack.terraform as { backend: unknown }).backend).toEqual({
      local: { path: "../../../terraform-state/bootstrap-111122223333.tfstate" },
    });
  });

  it("creates each state bucket once, in its region: versioned, KMS-encrypted, private, TLS only, kept", () => {
    const buckets = byName(stack, "aws_s3_bucket", "bucket");
    expect(Object.keys(buckets).sort()).toEqual([
      "odp-terraform-state-111122223333",
      "odp-terraform-state-111122223333-us-west-2",
    ]);
    expect(buckets["odp-terraform-state-111122223333-us-west-2"]!.provider).toBe("aws.us-west-2");
    for (const bucket of Object.values(buckets)) expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(
      resources(stack, "aws_s3_bucket_versioning").map((versioning) => versioning.versioning_configuration.status),
    ).toEqual(["Enabled", "Enabled"]);
    for (const encryption of resources(stack, "aws_s3_bucket_server_side_encryption_configuration"))
      expect(encryption.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    for (const block of resources(stack, "aws_s3_bucket_public_access_block"))
      expect(block).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    for (const policy of resources(stack, "aws_s3_bucket_policy"))
      expect(JSON.parse(policy.policy).Statement[0]).toMatchObject({
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    for (const k of resources(stack, "aws_kms_key"))
      expect(k).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
  });

  it("trusts GitHub's OIDC tokens of the configured repository: plan for pull requests and main, apply for the environment only", () => {
    expect(resources(stack, "aws_iam_openid_connect_provider")).toEqual([
      expect.objectContaining({
        url: "https://token.actions.githubusercontent.com",
        client_id_list: ["sts.amazonaws.com"],
      }),
    ]);
    const roles = byName(stack, "aws_iam_role", "name");
    expect(Object.keys(roles).sort()).toEqual(
      ["dr", "prod", "staging"].flatMap((env) => [`odp-${env}-ci-apply`, `odp-${env}-ci-plan`]).sort(),
    );
    const sub = (name: string) =>
      JSON.parse(roles[name]!.assume_role_policy).Statement[0].Condition.StringEquals[
        "token.actions.githubusercontent.com:sub"
      ];
    expect(sub("odp-prod-ci-plan")).toEqual([
      "repo:my-org/open-data-platform:pull_request",
      "repo:my-org/open-data-platform:ref:refs/heads/main",
    ]);
    expect(sub("odp-prod-ci-apply")).toEqual(["repo:my-org/open-data-platform:environment:prod"]);
  });

  it("keeps the roles least-privileged: plan reads no data, apply touches only its environment's IAM names and never CI's", () => {
    const policies = Object.fromEntries(
      resources(stack, "aws_iam_role_policy").map((policy) => [
        `${String(policy.role)
          .match(/ci-(\w+)_(plan|apply)/)
          ?.slice(1)
          .join("-")}`,
        JSON.parse(policy.policy).Statement,
      ]),
    );
    const planDeny = policies["prod-plan"].find((st: { Sid: string }) => st.Sid === "NoDataReads");
    expect(planDeny).toMatchObject({ Effect: "Deny", Action: ["s3:GetObject", "s3:GetObjectVersion"] });
    const apply = policies["prod-apply"];
    expect(apply.find((st: { Sid: string }) => st.Sid === "OwnIam").Resource).toEqual([
      "arn:aws:iam::111122223333:role/odp-prod-*",
      "arn:aws:iam::111122223333:instance-profile/odp-prod-*",
    ]);
    expect(apply.find((st: { Sid: string }) => st.Sid === "NotCiRoles")).toMatchObject({
      Effect: "Deny",
      Action: "iam:*",
    });
    expect(JSON.stringify(apply)).not.toContain('"iam:*","Resource":"*"');
    // Each environment's roles reach its own state only.
    expect(policies["dr-apply"].find((st: { Sid: string }) => st.Sid === "ReadWriteState").Resource).toMatch(
      /\/odp\/dr\/\*"?\}?$/,
    );
  });

  it("gives CI's roles their access entries on each cluster", () => {
    const foundation = synthAll().get("prod-foundation")!;
    const entries = Object.fromEntries(
      Object.entries(foundation.resource!.aws_eks_access_entry!).map(([k, entry]) => [
        k.replace(/_[0-9A-F]{8}$/, ""),
        (entry as { principal_arn: string }).principal_arn,
      ]),
    );
    expect(entries["eks_access-ci-plan"]).toBe("arn:aws:iam::111122223333:role/odp-prod-ci-plan");
    expect(entries["eks_access-ci-apply"]).toBe("arn:aws:iam::111122223333:role/odp-prod-ci-apply");
    const policies = resources(foundation, "aws_eks_access_policy_association").map((association) => [
      String(association.principal_arn).match(/access-ci-([a-z]+)/)?.[1],
      String(association.policy_arn).split("/").pop(),
    ]);
    expect(policies).toEqual(
      expect.arrayContaining([
        ["plan", "AmazonEKSAdminViewPolicy"],
        ["apply", "AmazonEKSClusterAdminPolicy"],
      ]),
    );
  });

  it("creates a hosted zone only where configuration asks, and follows another account", () => {
    expect(resources(stack, "aws_route53_zone")).toEqual([]);
    const raw = inputs();
    raw.staging.dns = { ...raw.staging.dns, create: true };
    raw.staging.aws = { ...raw.staging.aws, accountId: "210987654321" };
    raw.staging.cluster = { ...raw.staging.cluster, adminRoleArn: "arn:aws:iam::210987654321:role/platform-admin" };
    const other = synth(raw, "210987654321");
    expect(Object.keys(other)).toEqual(["bootstrap-210987654321"]);
    const zones = resources(other["bootstrap-210987654321"]!, "aws_route53_zone");
    expect(zones).toEqual([expect.objectContaining({ name: "fixture.example", lifecycle: { prevent_destroy: true } })]);
    expect(JSON.stringify(other).includes("111122223333:role")).toBe(false);
  });

  it("answers --help, refuses unknown flags, and never takes a flag for a value", () => {
    expect(parseArgs(["--help"])).toBe("help");
    expect(parseArgs(["--bogus"])).toBe("unknown flag --bogus");
    expect(parseArgs(["--outdir", "--apply"])).toBe("--outdir needs a value");
    expect(parseArgs(["--account", "12"])).toMatch(/12-digit/);
    expect(parseArgs(["--account", "111122223333", "--apply"])).toEqual({
      account: "111122223333",
      apply: true,
      outdir: "bootstrap.out",
    });
  });
});

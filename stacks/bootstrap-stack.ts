import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AwsEnvironment } from "../config/schema";
import { CiRoles, githubIssuer } from "../constructs/aws/ci-roles";
import { StateBucket } from "../constructs/aws/state-bucket";
import { partitionOf } from "../lib/aws";
import { names } from "./naming";

/** Id of the bootstrap stack of an AWS account. */
export const bootstrapStackId = (accountId: string) => `bootstrap-${accountId}`;

/**
 * What must exist in an account before the first plan of its environments: each environment's
 * state bucket (versioned, encrypted, locked by S3 lock files), the account's GitHub OIDC provider,
 * each environment's CI plan and apply roles, and the hosted zones configuration asks to create.
 * Its own state is local (terraform-state/, beside cdktf.out): it creates the bucket state would
 * live in. Applied by hand with an administrator's credentials (`npm run bootstrap`), never by CI.
 */
export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, id: string, envs: readonly AwsEnvironment[]) {
    super(scope, id);
    const first = envs[0]!;
    const accountId = first.aws.accountId;
    const partition = partitionOf(first.aws.region);
    new LocalBackend(this, { path: `../../../terraform-state/${id}.tfstate` });
    const tags = { "managed-by": "cdktf", purpose: "bootstrap" };
    const providers = new Map<string, AwsProvider>();
    const provider = (region: string) => {
      if (!providers.has(region)) {
        const alias = providers.size === 0 ? undefined : region;
        providers.set(
          region,
          new AwsProvider(this, `aws-${region}`, {
            region,
            alias,
            allowedAccountIds: [accountId],
            defaultTags: [{ tags }],
          }),
        );
      }
      return providers.get(region)!;
    };
    provider(first.aws.region);

    const oidc = new IamOpenidConnectProvider(this, "github-oidc", {
      url: `https://${githubIssuer}`,
      clientIdList: ["sts.amazonaws.com"],
    });
    // Environments may share a state bucket (one key prefix per environment inside it).
    const buckets = new Map<string, StateBucket>();
    for (const env of envs) {
      if (env.backend.type !== "s3") continue;
      const backend = env.backend;
      if (!buckets.has(backend.bucket)) {
        buckets.set(
          backend.bucket,
          new StateBucket(this, `state-${backend.bucket}`, {
            bucket: backend.bucket,
            provider: provider(backend.region),
            noncurrentVersionDays: 90,
          }),
        );
      }
      const state = buckets.get(backend.bucket)!;
      const roles = new CiRoles(this, `ci-${env.name}`, {
        partition,
        accountId,
        oidcProviderArn: oidc.arn,
        repository: env.ci.repository,
        environment: env.name,
        planRoleName: env.ci.planRole!,
        applyRoleName: env.ci.applyRole!,
        state: { bucketArn: state.bucket.arn, keyPrefix: `${backend.keyPrefix}/${env.name}`, kmsKeyArn: state.key.arn },
        namePrefix: names(env).base,
      });
      new TerraformOutput(this, `${env.name}-plan-role`, { value: roles.plan.arn });
      new TerraformOutput(this, `${env.name}-apply-role`, { value: roles.apply.arn });
    }
    const zones = [...new Set(envs.filter((env) => env.dns.create).map((env) => env.dns.zone))];
    for (const zone of zones) {
      const hostedZone = new Route53Zone(this, `zone-${zone}`, {
        name: zone,
        forceDestroy: false,
        lifecycle: { preventDestroy: true },
      });
      new TerraformOutput(this, `zone-${zone.replace(/\./g, "-")}`, {
        value: { id: hostedZone.zoneId, nameServers: hostedZone.nameServers },
        description: `set dns.zoneId to id, and delegate ${zone} to the name servers`,
      });
    }
  }
}

/** One bootstrap stack per account of the AWS environments. */
export function buildBootstrap(app: Construct, envs: readonly AwsEnvironment[], account?: string): BootstrapStack[] {
  const accounts = [...new Set(envs.map((env) => env.aws.accountId))].filter(
    (accountId) => account === undefined || accountId === account,
  );
  return accounts.map(
    (accountId) =>
      new BootstrapStack(
        app,
        bootstrapStackId(accountId),
        envs.filter((env) => env.aws.accountId === accountId),
      ),
  );
}

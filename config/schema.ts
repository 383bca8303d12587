// The one schema every environment file is validated against. Environment differences are data
// here; the cross-field rules of each tier live in `tierRules` below, next to the shapes.
import { z } from "zod";
import { isCidr, isNetworkAddress, parseCidr } from "../lib/ipv4";
import { jvmMemorySplit, minDirectMiB } from "../lib/jvm-memory";
import { lakeZones, type LakeZoneName as LakeZone } from "../constructs/platform/contract";
import { scannerIdPattern } from "../policy/scanners";
import { awsRegions, ec2InstanceTypes, rdsInstanceClasses } from "./aws-catalog";
import { allocatableShare, instanceMemoryGiB } from "./instance-memory";
import { nearest, nearestInstanceType } from "./suggest";
import { supportedEksVersions } from "./versions";

export const tiers = ["development", "staging", "production", "standby"] as const;
export type Tier = (typeof tiers)[number];
/** Tiers whose data must survive any plan: deletion protection, prevent_destroy, Retain. */
export const protectedTiers: readonly Tier[] = ["production", "standby"];

export { lakeZones, type LakeZoneName as LakeZone } from "../constructs/platform/contract";

/** The host names an environment's records take under its `domain` (`<label>.<domain>`, one label
 *  deep: the certificate covers `*.<domain>`), `takeover` being the probe a standby answers on its
 *  source's; config/load.ts keeps every environment's names its own, test/hosts.test.ts keeps this
 *  list complete. */
export const platformHostLabels = ["airbyte", "superset", "dremio", "grafana", "takeover"] as const;

const strict = z.strictObject;
const int = (min: number, max: number) => z.number().int().min(min).max(max);

const envName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,11}$/, "lowercase letters, digits and '-', 2-12 characters, starting with a letter");
/** A name from a pinned list (config/aws-catalog.ts); a typo is told the nearest one there. */
function known(
  list: readonly string[],
  what: string,
  suggest: (given: string, list: readonly string[]) => string | undefined = nearest,
) {
  const names = new Set(list);
  return z.string().superRefine((value, ctx) => {
    if (names.has(value)) return;
    const hint = suggest(value, list);
    ctx.addIssue({
      code: "custom",
      message: hint ? `must be ${what}: did you mean ${hint}?` : `must be ${what} (config/aws-catalog.ts lists them)`,
    });
  });
}
const awsRegion = known(awsRegions, "a commercial or GovCloud AWS region such as eu-west-1");
const accountId = z.string().regex(/^\d{12}$/, "a 12-digit AWS account id");
const cidr = z
  .string()
  .refine(isCidr, "an IPv4 CIDR such as 10.20.0.0/16")
  .refine((cidrText) => !isCidr(cidrText) || isNetworkAddress(cidrText), "a network address with no host bits set");
const domain = z
  .string()
  .regex(
    /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "a lowercase DNS domain such as data.example.com",
  );
/** A role of the environment's own account by name (optionally with a path), or by ARN; config/load.ts
 *  turns a name into the ARN and refuses an ARN of another account. */
const iamRole = z
  .string()
  .regex(
    /^(arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}|([\w+=,.@-]+\/)*[\w+=,.@-]{1,64})$/,
    "an IAM role name such as platform-admin, or an IAM role ARN",
  );
export const lakeBucketPrefixPattern = /^[a-z0-9][a-z0-9-]{1,40}[a-z0-9]$/;
const s3BucketName = z
  .string()
  .regex(lakeBucketPrefixPattern, "3-42 lowercase letters, digits and '-' (zone suffixes are appended)");
const hhmmRange = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, "a UTC window hh:mm-hh:mm");
const weeklyRange = z
  .string()
  .regex(
    /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
    "a UTC window ddd:hh:mm-ddd:hh:mm",
  );
/** CloudWatch Logs accepts only these retention periods. */
const logRetentionDays = z.union(
  [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].map(
    (days) => z.literal(days),
  ) as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]],
);

/** What AWS accepts in a tag value; it also keeps Terraform template syntax ("${") out of tags. */
const tagValue = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, "an AWS tag value: letters, digits, spaces and _ . : / = + - @");
const tags = strict({ owner: tagValue, costCentre: tagValue });
/** Free text that lands in Terraform as is: "${" or "%{" in it would be read as a template. */
const plainText = z
  .string()
  .min(1)
  .refine((text) => !/[$%]\{/.test(text), "text without Terraform template syntax (${ or %{)");
const k8sName = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";

const protection = strict({
  deletionProtection: z.boolean(),
  preventDestroy: z.boolean(),
});

export const s3BucketNamePattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const s3Backend = strict({
  type: z.literal("s3"),
  /** Absent: `odp-terraform-state-<account>`, or for a standby its source's bucket name with
   *  `-<backend.region>` appended (config/load.ts). */
  bucket: z.string().regex(s3BucketNamePattern, "an S3 bucket name").optional(),
  keyPrefix: z.string().regex(/^[a-zA-Z0-9!_.*'()/-]{1,200}$/, "an S3 key prefix without a leading '/'"),
  /** Absent: the environment's `aws.region`. */
  region: awsRegion.optional(),
});
/** Local state: `directory` is absolute, or relative to the project root (beside cdktf.out, which
 *  every synthesis rewrites: never inside it). */
const localBackend = strict({
  type: z.literal("local"),
  directory: plainText.refine(
    (directory) =>
      directory.startsWith("/") || !directory.split("/").some((part) => part === ".." || part === "cdktf.out"),
    "an absolute path, or a path under the project root outside cdktf.out (no '..')",
  ),
});

const network = strict({
  cidr: cidr.refine(
    (cidrText) => !isCidr(cidrText) || (parseCidr(cidrText).prefix >= 16 && parseCidr(cidrText).prefix <= 20),
    "a CIDR between /16 and /20",
  ),
  azCount: int(1, 6),
  natGateways: z.enum(["per-az", "single"]),
  flowLogRetentionDays: logRetentionDays,
});

const nodeGroup = strict({
  instanceTypes: z
    .array(known(ec2InstanceTypes, "an EC2 instance type such as m7i.2xlarge", nearestInstanceType))
    .min(1),
  capacityType: z.enum(["ON_DEMAND", "SPOT"]),
  minSize: int(0, 450),
  desiredSize: int(0, 450),
  maxSize: int(1, 450),
  diskGiB: int(20, 16384),
  labels: z
    .record(
      z.string().regex(new RegExp(`^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?${k8sName}$`), "a Kubernetes label key"),
      z.string().regex(new RegExp(`^(${k8sName})?$`), "a Kubernetes label value: up to 63 letters, digits and - _ ."),
    )
    .default({}),
});

const eksCluster = strict({
  version: z.enum(supportedEksVersions),
  /** The role given cluster-admin access: a role name of the environment's account, or an ARN. */
  adminRoleArn: iamRole,
  /** Empty: the API endpoint is private only. */
  publicAccessCidrs: z.array(cidr).default([]),
  logRetentionDays: logRetentionDays,
  nodeGroups: z
    .record(z.string().regex(/^[a-z][a-z0-9-]{0,20}$/, "a short lowercase name"), nodeGroup)
    .refine((groups) => Object.keys(groups).length > 0, "at least one node group"),
});

const rdsPostgres = strict({
  engineVersion: z.string().regex(/^1[67]\.\d+$/, "a PostgreSQL 16 or 17 minor version such as 17.6"),
  instanceClass: known(rdsInstanceClasses, "an RDS instance class such as db.r6g.xlarge", nearestInstanceType),
  allocatedStorageGiB: int(20, 65536),
  maxAllocatedStorageGiB: int(20, 65536),
  multiAz: z.boolean(),
  backupRetentionDays: int(0, 35),
  backupWindow: hhmmRange,
  maintenanceWindow: weeklyRange,
  performanceInsightsRetentionDays: z.union([z.literal(7), z.literal(731)]),
  monitoringIntervalSeconds: z.union(
    [1, 5, 10, 15, 30, 60].map((seconds) => z.literal(seconds)) as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]],
  ),
  tuning: strict({
    sharedBuffersMiB: int(16, 1048576),
    effectiveCacheSizeMiB: int(16, 4194304),
    workMemMiB: int(1, 2097151 / 1024),
    maintenanceWorkMemMiB: int(1, 2097151 / 1024),
    maxConnections: int(10, 10000),
  }),
});

const objectLock = strict({ mode: z.enum(["GOVERNANCE", "COMPLIANCE"]), days: int(1, 36500) });
const lakeZone = strict({
  /** Move current objects to Glacier Flexible Retrieval after this many days. */
  glacierAfterDays: int(30, 3650).optional(),
  objectLock: objectLock.optional(),
});

const s3Lake = strict({
  /** Absent: `odp-<account>` (config/load.ts). Buckets are `<bucketPrefix>-<environment>-<zone>`. */
  bucketPrefix: s3BucketName.optional(),
  noncurrentVersionExpiryDays: int(1, 3650),
  accessLogRetentionDays: int(1, 3650),
  zones: strict(Object.fromEntries(lakeZones.map((zone) => [zone, lakeZone])) as Record<LakeZone, typeof lakeZone>),
  /** Airbyte's own bucket (logs, state, workload payloads): never moved to Glacier, which Airbyte
   *  cannot read; its job logs expire after this many days. */
  airbyte: strict({ logRetentionDays: int(1, 3650) }).default({ logRetentionDays: 30 }),
});

const replicas = (max: number) => int(1, max);
const esRoles = z.enum(["master", "data", "ingest", "ml", "transform", "remote_cluster_client"]);
const workloads = strict({
  airbyte: strict({
    serverReplicas: replicas(10),
    webappReplicas: replicas(10),
    /** Concurrent syncs: `min` worker replicas run up to `max` syncs at once (the seeds: 2-10). */
    workers: strict({ min: replicas(50), max: replicas(100) }),
  }),
  superset: strict({ webReplicas: replicas(20), workerReplicas: replicas(50) }),
  dremio: strict({
    coordinator: strict({
      cpu: z.number().positive().max(64),
      memoryGiB: int(4, 512),
      heapGiB: int(2, 256),
      storageGiB: int(10, 16384),
    }),
    executors: strict({
      count: replicas(100),
      /** Upper bound for the executors' autoscaler (the seeds: 3 scaling to 6). */
      maxCount: replicas(100),
      requests: strict({ cpu: z.number().positive().max(64), memoryGiB: int(4, 512) }),
      limits: strict({ cpu: z.number().positive().max(128), memoryGiB: int(4, 1024) }),
      heapMinGiB: int(1, 256),
      heapMaxGiB: int(1, 256),
      storageGiB: int(10, 16384),
    }),
    zookeeper: strict({ replicas: z.union([z.literal(1), z.literal(3), z.literal(5)]), storageGiB: int(1, 1024) }),
  }),
  observability: strict({
    prometheus: strict({ replicas: replicas(3), retentionDays: int(1, 365), storageGiB: int(5, 16384) }),
    alertmanagerReplicas: replicas(5),
    /** Days container and node logs stay in Elasticsearch before index lifecycle deletes them. */
    logRetentionDays: int(1, 3650),
  }),
  /** dbt runs against Dremio on a schedule; absent: no dbt in this environment. */
  dbt: strict({
    schedule: z.string().regex(/^(\S+\s+){4}\S+$/, "a five-field cron expression such as 0 2 * * *"),
    /** The dbt project image (dbt-core, dbt-dremio and the project), pinned by tag or digest. */
    image: z
      .string()
      .regex(
        /^[a-z0-9./_-]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/,
        "an image reference such as registry.example.com/analytics/dbt:1.4.2",
      )
      .refine((i) => !/:latest$/.test(i) && /[:@]/.test(i), "an image pinned to a tag other than latest, or a digest"),
    target: z.string().regex(/^[A-Za-z0-9_-]+$/, "a dbt target name: letters, digits, '_' and '-'"),
    threads: int(1, 64),
  }).optional(),
  elasticsearch: strict({
    nodeSets: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]{0,20}$/, "a short lowercase name"),
        strict({
          count: replicas(50),
          roles: z.array(esRoles).min(1),
          storageGiB: int(1, 65536),
          memoryGiB: int(1, 64),
        }),
      )
      .refine((nodeSets) => Object.keys(nodeSets).length > 0, "at least one node set"),
  }),
});

/** Own rule ids (S3-006), or scanner check ids (CKV_AWS_144, AWS-0089). */
const waiverRuleId = new RegExp(`^[A-Z0-9]+-\\d{3}$|${scannerIdPattern.source}`);

/** A known, accepted policy violation (or scanner finding): the rule id, the resource address and why it is accepted. */
const waiver = strict({
  /** An own policy rule (which also silences the scanner checks it covers: policy/scanners.ts), or a
   *  Checkov or Trivy check that no own rule covers. */
  rule: z
    .string()
    .regex(
      waiverRuleId,
      "a policy rule id such as S3-006, or a Checkov or Trivy check id such as CKV2_AWS_62 or AWS-0089",
    ),
  address: z
    .string()
    .regex(/^[a-z0-9_]+\.[A-Za-z0-9_-]+$/, "a Terraform resource address such as aws_s3_bucket.lake_bronze"),
  /** Optional: the stack it applies to (`<env>-<layer>`); absent: every stack of the environment. */
  stack: z.string().min(1).optional(),
  reason: z.string().trim().min(10, "a reason of at least 10 characters: say why the violation is accepted"),
});

const common = {
  name: envName,
  tier: z.enum(tiers),
  domain,
  tags,
  protection,
  workloads,
  /** One classic Helm repository (an index.yaml and its .tgz files) that replaces every chart
   *  repository, classic and OCI alike: for air-gapped clusters and for the live test tier. */
  chartMirror: z
    .string()
    .regex(
      /^(https:\/\/[^\s/$?#]+|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?)(\/[^\s$?#]*)?$/,
      "an https URL of a Helm chart repository such as https://charts.internal.example.com/platform (plain http only on 127.0.0.1 or localhost)",
    )
    .transform((url) => url.replace(/\/+$/, ""))
    .optional(),
  /** Policy waivers: each names a rule, a resource and a reason; shown by `npm run policy`. */
  policy: strict({ waivers: z.array(waiver).default([]) }).default({ waivers: [] }),
};

export const awsEnvironmentSchema = strict({
  ...common,
  platform: z.literal("aws"),
  aws: strict({ accountId, region: awsRegion }),
  backend: s3Backend,
  network,
  cluster: eksCluster,
  database: rdsPostgres,
  lake: s3Lake,
  /** Public Route 53 hosted zone holding `domain` (the zone itself or a parent), and its id: with
   *  the id, stacks never look the zone up, a Route 53 control-plane call (in us-east-1) that a
   *  standby's failover must not need. Required for a standby and its source (config/load.ts). */
  dns: strict({
    zone: domain,
    zoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone id: Z followed by capital letters and digits")
      .optional(),
    /** `npm run bootstrap` creates the zone (then set `zoneId` from its output and delegate it). */
    create: z.boolean().default(false),
  }),
  /** A standby mirrors the named environment from another region. */
  standbyOf: envName.optional(),
  /** Promote the standby: the replica becomes a primary (replication dropped; Multi-AZ and
   *  backups as configured), the standby takes its source's `workloads` and
   *  `cluster.nodeGroups` (resolved in config/load.ts; false keeps its own small sizes), deploys
   *  the database writers, and serves the source's host names: their Route 53 failover records
   *  answer with it (docs/runbooks/dr-failover.md). Allowed for tier standby only. */
  failover: z.boolean().default(false),
  /** How CI plans and applies this environment (the workflows are generated from it: npm run
   *  ci-workflows). Its addons and apps plans call the EKS API, private unless
   *  `cluster.publicAccessCidrs` opens it: the runner must reach it (docs/ci.md). */
  ci: strict({
    /** The GitHub repository (owner/name) whose workflows may assume the CI roles (their OIDC trust). */
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "a GitHub repository as owner/name"),
    runner: z.discriminatedUnion("kind", [
      /** GitHub's hosted runners: only with an API endpoint open to them (config/load.ts checks). */
      strict({
        kind: z.literal("github-hosted"),
        image: z
          .string()
          .regex(/^[a-z0-9.-]+$/)
          .default("ubuntu-24.04"),
      }),
      /** Your own runners, inside (or peered with) the environment's VPC, chosen by these labels. */
      strict({
        kind: z.literal("self-hosted"),
        labels: z.array(z.string().regex(/^[A-Za-z0-9._-]+$/, "a runner label: letters, digits, '.', '_', '-'")).min(1),
      }),
      /** CodeBuild-hosted GitHub Actions runners: a CodeBuild project in the VPC's private subnets. */
      strict({
        kind: z.literal("codebuild"),
        project: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/, "a CodeBuild project name"),
      }),
    ]),
    /** IAM roles CI assumes through GitHub's OIDC provider (names in the environment's account).
     *  @default `odp-<env>-ci-plan` (read-only) and `odp-<env>-ci-apply` */
    planRole: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, "an IAM role name")
      .optional(),
    applyRole: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, "an IAM role name")
      .optional(),
  }),
});

export const localEnvironmentSchema = strict({
  ...common,
  platform: z.literal("local"),
  backend: localBackend,
  cluster: strict({
    kubeconfigPath: plainText,
    context: plainText,
    /** The cluster's volume provisioner (kind and k3d: rancher.io/local-path). */
    storageProvisioner: plainText,
  }),
  /** In-cluster data services that stand in for RDS and S3. */
  postgres: strict({ instances: replicas(9), storageGiB: int(1, 65536), pooler: z.boolean() }),
  minio: strict({ servers: replicas(32), volumesPerServer: replicas(16), volumeSizeGiB: int(1, 65536) }),
});

export const environmentSchema = z
  .discriminatedUnion("platform", [awsEnvironmentSchema, localEnvironmentSchema])
  .superRefine((env, ctx) => {
    for (const [path, message] of tierRules(env)) ctx.addIssue({ code: "custom", path, message });
  });

export type EnvironmentInput = z.input<typeof environmentSchema>;
export type AwsEnvironmentInput = z.input<typeof awsEnvironmentSchema>;
export type LocalEnvironmentInput = z.input<typeof localEnvironmentSchema>;
/** An environment as the schema parses it, before config/load.ts resolves its defaults. */
export type ParsedEnvironment = z.output<typeof environmentSchema>;
type ParsedAwsEnvironment = z.output<typeof awsEnvironmentSchema>;
/** What config/load.ts decides once from the tier; stacks and scripts read it, never the tier list. */
export interface TierDecisions {
  /** The tier is one of `protectedTiers`: its data must survive any plan (Retain, longer recovery windows). */
  readonly isProtected: boolean;
}
/** An AWS environment as stacks see it: every default derived from the account id resolved, once,
 *  in config/load.ts (state bucket and region, lake bucket prefix, admin role ARN). */
export type AwsEnvironment = Omit<ParsedAwsEnvironment, "backend" | "lake"> &
  TierDecisions & {
    backend: Required<ParsedAwsEnvironment["backend"]>;
    lake: Omit<ParsedAwsEnvironment["lake"], "bucketPrefix"> & { bucketPrefix: string };
  };
export type LocalEnvironment = z.output<typeof localEnvironmentSchema> & TierDecisions;
export type EnvironmentConfig = AwsEnvironment | LocalEnvironment;
export type NodeGroupConfig = z.output<typeof nodeGroup>;
export type PostgresConfig = z.output<typeof rdsPostgres>;
export type LakeConfig = AwsEnvironment["lake"];
export type WorkloadsConfig = z.output<typeof workloads>;
export type WaiverConfig = z.output<typeof waiver>;

type Rule = [path: (string | number)[], message: string];

/** Direct memory left to a Dremio JVM: the formula its pods are configured with. */
const directMemoryMiB = (totalGiB: number, heapGiB: number) => jvmMemorySplit(totalGiB, heapGiB).directMiB;

/** Rules that relate fields of one environment; each returns the path and what is allowed. */
function tierRules(env: z.output<typeof awsEnvironmentSchema> | z.output<typeof localEnvironmentSchema>): Rule[] {
  const out: Rule[] = [];
  const tier = env.tier;
  const isProtected = protectedTiers.includes(tier);
  if (isProtected) {
    if (!env.protection.deletionProtection)
      out.push([["protection", "deletionProtection"], `must be true for tier ${tier}`]);
    if (!env.protection.preventDestroy) out.push([["protection", "preventDestroy"], `must be true for tier ${tier}`]);
  }
  const workloadConfig = env.workloads;
  if (workloadConfig.airbyte.workers.min > workloadConfig.airbyte.workers.max)
    out.push([
      ["workloads", "airbyte", "workers", "max"],
      `must be >= workers.min (${workloadConfig.airbyte.workers.min})`,
    ]);
  const esCount = (role: string) =>
    Object.values(workloadConfig.elasticsearch.nodeSets)
      .filter((nodeSet) => nodeSet.roles.includes(role as never))
      .reduce((total, nodeSet) => total + nodeSet.count, 0);
  if (esCount("master") === 0)
    out.push([["workloads", "elasticsearch", "nodeSets"], "must include a master-eligible node set"]);
  if (esCount("data") === 0) out.push([["workloads", "elasticsearch", "nodeSets"], "must include a data node set"]);
  if (esCount("master") > 1 && esCount("master") % 2 === 0)
    out.push([
      ["workloads", "elasticsearch", "nodeSets"],
      `must have an odd number of master-eligible nodes (got ${esCount("master")})`,
    ]);
  const dremio = workloadConfig.dremio;
  if (dremio.executors.maxCount < dremio.executors.count)
    out.push([
      ["workloads", "dremio", "executors", "maxCount"],
      `must be >= executors.count (${dremio.executors.count})`,
    ]);
  if (dremio.executors.heapMinGiB > dremio.executors.heapMaxGiB)
    out.push([
      ["workloads", "dremio", "executors", "heapMaxGiB"],
      `must be >= heapMinGiB (${dremio.executors.heapMinGiB})`,
    ]);
  if (directMemoryMiB(dremio.executors.limits.memoryGiB, dremio.executors.heapMaxGiB) < minDirectMiB)
    out.push([
      ["workloads", "dremio", "executors", "heapMaxGiB"],
      `must leave room for >= 1 GiB of direct memory and the JVM reserve (5%, at least 1 GiB) within limits.memoryGiB (${dremio.executors.limits.memoryGiB})`,
    ]);
  // The JVM is sized from the limit (heap plus direct memory): a lower request lets the scheduler
  // fill the node with other pods, and the executor is OOM-killed once it uses what it was given.
  if (dremio.executors.requests.memoryGiB !== dremio.executors.limits.memoryGiB)
    out.push([
      ["workloads", "dremio", "executors", "requests", "memoryGiB"],
      `must equal limits.memoryGiB (${dremio.executors.limits.memoryGiB}) for a JVM workload`,
    ]);
  if (dremio.executors.requests.cpu > dremio.executors.limits.cpu)
    out.push([
      ["workloads", "dremio", "executors", "limits", "cpu"],
      `must be >= requests.cpu (${dremio.executors.requests.cpu})`,
    ]);
  if (directMemoryMiB(dremio.coordinator.memoryGiB, dremio.coordinator.heapGiB) < minDirectMiB)
    out.push([
      ["workloads", "dremio", "coordinator", "heapGiB"],
      `must leave room for >= 1 GiB of direct memory and the JVM reserve (5%, at least 1 GiB) within coordinator.memoryGiB (${dremio.coordinator.memoryGiB})`,
    ]);
  if (env.platform === "aws") {
    // The coordinator runs on the managed node group (not on Karpenter's nodes): one node must hold it.
    for (const [name, group] of Object.entries(env.cluster.nodeGroups)) {
      if (group.capacityType !== "ON_DEMAND") continue;
      const memories = group.instanceTypes.map(instanceMemoryGiB);
      if (memories.some((memory) => memory === undefined)) continue;
      const fits = Math.floor(Math.min(...(memories as number[])) * allocatableShare);
      if (dremio.coordinator.memoryGiB > fits)
        out.push([
          ["workloads", "dremio", "coordinator", "memoryGiB"],
          `must fit one node of node group ${name} (${group.instanceTypes.join(", ")}: about ${fits} GiB allocatable)`,
        ]);
    }
  }
  if (tier === "production") {
    if (dremio.executors.count < 3)
      out.push([["workloads", "dremio", "executors", "count"], `must be >= 3 for tier ${tier}`]);
    if (dremio.zookeeper.replicas < 3)
      out.push([["workloads", "dremio", "zookeeper", "replicas"], `must be >= 3 for tier ${tier}`]);
    if (workloadConfig.superset.webReplicas < 2)
      out.push([["workloads", "superset", "webReplicas"], `must be >= 2 for tier ${tier}`]);
    if (esCount("master") < 3)
      out.push([
        ["workloads", "elasticsearch", "nodeSets"],
        `must have >= 3 master-eligible nodes for tier ${tier} (got ${esCount("master")})`,
      ]);
    if (esCount("data") < 3)
      out.push([
        ["workloads", "elasticsearch", "nodeSets"],
        `must have >= 3 data nodes for tier ${tier} (got ${esCount("data")})`,
      ]);
    if (workloadConfig.airbyte.workers.min < 2)
      out.push([["workloads", "airbyte", "workers", "min"], `must be >= 2 for tier ${tier}`]);
  }
  if (env.platform === "local") {
    if (tier !== "development") out.push([["tier"], `must be development for platform local (got ${tier})`]);
    if (env.minio.servers * env.minio.volumesPerServer < 4 && env.minio.servers * env.minio.volumesPerServer !== 1) {
      out.push([
        ["minio", "volumesPerServer"],
        "must give >= 4 drives in all (servers x volumesPerServer) for erasure coding, or exactly 1 for a single-drive dev setup",
      ]);
    }
    return out;
  }
  if (env.domain !== env.dns.zone && !env.domain.endsWith(`.${env.dns.zone}`)) {
    out.push([["dns", "zone"], `must be ${env.domain} or a parent of it`]);
  }
  const minAz = tier === "production" ? 3 : tier === "development" ? 1 : 2;
  if (env.network.azCount < minAz) out.push([["network", "azCount"], `must be >= ${minAz} for tier ${tier}`]);
  if (tier === "production" && env.network.natGateways !== "per-az")
    out.push([["network", "natGateways"], `must be per-az for tier ${tier}`]);
  if (isProtected && !env.database.multiAz) out.push([["database", "multiAz"], `must be true for tier ${tier}`]);
  if (isProtected && env.database.backupRetentionDays < 7)
    out.push([["database", "backupRetentionDays"], `must be >= 7 for tier ${tier}`]);
  if (env.database.backupRetentionDays < 1)
    out.push([["database", "backupRetentionDays"], "must be >= 1: automated backups are always on"]);
  if (env.database.maxAllocatedStorageGiB < env.database.allocatedStorageGiB) {
    out.push([
      ["database", "maxAllocatedStorageGiB"],
      `must be >= database.allocatedStorageGiB (${env.database.allocatedStorageGiB})`,
    ]);
  }
  const [bStart] = env.database.backupWindow.split("-");
  const mStart = env.database.maintenanceWindow.split("-")[0]!.slice(4);
  if (bStart === mStart) out.push([["database", "maintenanceWindow"], "must not start with the backup window"]);
  for (const [name, group] of Object.entries(env.cluster.nodeGroups)) {
    if (group.minSize > group.desiredSize)
      out.push([["cluster", "nodeGroups", name, "desiredSize"], `must be >= minSize (${group.minSize})`]);
    if (group.desiredSize > group.maxSize)
      out.push([["cluster", "nodeGroups", name, "maxSize"], `must be >= desiredSize (${group.desiredSize})`]);
  }
  env.cluster.publicAccessCidrs.forEach((cidrText, i) => {
    if (isCidr(cidrText) && parseCidr(cidrText).prefix === 0)
      out.push([
        ["cluster", "publicAccessCidrs", i],
        "must not open the API endpoint to the whole internet; list your own CIDRs or none",
      ]);
  });
  if ((tier === "standby") !== (env.standbyOf !== undefined)) {
    out.push([
      ["standbyOf"],
      tier === "standby" ? "is required for tier standby" : `is allowed only for tier standby (got tier ${tier})`,
    ]);
  }
  if (env.failover && tier !== "standby") out.push([["failover"], "is allowed only for tier standby"]);
  return out;
}

// Validates every environment and the rules that relate environments to each other, and turns
// each problem into one line: "config error in <env>: <path> <what is allowed> (got <value>)".
import { z } from "zod";
import { partitionOf } from "../lib/aws";
import { cidrsOverlap, isCidr } from "../lib/ipv4";
import {
  awsEnvironmentSchema,
  environmentSchema,
  lakeBucketPrefixPattern,
  lakeZones,
  localEnvironmentSchema,
  platformHostLabels,
  protectedTiers,
  s3BucketNamePattern,
  type AwsEnvironment,
  type EnvironmentConfig,
  type ParsedEnvironment,
  type WaiverConfig,
} from "./schema";
import { nearest } from "./suggest";

export type LoadResult = { ok: true; environments: EnvironmentConfig[] } | { ok: false; errors: string[] };

export class ConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join("\n"));
    this.name = "ConfigError";
  }
}

/** Validates raw environment objects keyed by the name they are known by (their file name). */
export function loadEnvironments(raw: Record<string, unknown>): LoadResult {
  const errors: string[] = [];
  const parsedEnvs: ParsedEnvironment[] = [];
  for (const [key, input] of Object.entries(raw)) {
    const parsed = environmentSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        errors.push(...describeIssues(issue, input).map((line) => `config error in ${key}: ${line}`));
      continue;
    }
    if (parsed.data.name !== key) {
      errors.push(
        `config error in ${key}: name must equal the environment's key "${key}" (got ${JSON.stringify(parsed.data.name)})`,
      );
      continue;
    }
    parsedEnvs.push(parsed.data);
  }
  if (errors.length) return { ok: false, errors };
  const environments = resolveDefaults(parsedEnvs);
  errors.push(...environments.flatMap(ownAccountErrors), ...crossEnvironmentErrors(environments));
  return errors.length
    ? { ok: false, errors }
    : { ok: true, environments: environments.map((env) => resolveFailover(env, environments)) };
}

/**
 * What the account id decides, decided once, here: the state bucket (`odp-terraform-state-<account>`;
 * a standby's is its source's with its own region appended, since its state must live in its own
 * region and bucket names are global), the state region (the environment's), the lake's bucket
 * prefix (`odp-<account>`) and the admin role's ARN (from a role name). A value given explicitly
 * wins. Stacks and constructs see only the final values.
 */
function resolveDefaults(parsed: ParsedEnvironment[]): EnvironmentConfig[] {
  const done = new Map<string, AwsEnvironment>();
  const resolve = (env: ParsedEnvironment): EnvironmentConfig => {
    const isProtected = protectedTiers.includes(env.tier);
    if (env.platform !== "aws") return { ...env, isProtected };
    const known = done.get(env.name);
    if (known) return known;
    const { accountId, region } = env.aws;
    const backendRegion = env.backend.region ?? region;
    // Only a primary source gives its bucket (a standby of a standby is refused below anyway).
    const source = parsed.find(
      (candidate) =>
        candidate.name === env.standbyOf &&
        candidate.platform === "aws" &&
        candidate.standbyOf === undefined &&
        candidate !== env,
    );
    const sourceBucket = source ? (resolve(source) as AwsEnvironment).backend.bucket : undefined;
    const role = env.cluster.adminRoleArn;
    const resolved: AwsEnvironment = {
      ...env,
      isProtected,
      backend: {
        type: env.backend.type,
        bucket:
          env.backend.bucket ??
          (sourceBucket ? `${sourceBucket}-${backendRegion}` : `odp-terraform-state-${accountId}`),
        keyPrefix: env.backend.keyPrefix,
        region: backendRegion,
      },
      cluster: {
        ...env.cluster,
        adminRoleArn: role.startsWith("arn:") ? role : `arn:${partitionOf(region)}:iam::${accountId}:role/${role}`,
      },
      lake: { ...env.lake, bucketPrefix: env.lake.bucketPrefix ?? `odp-${accountId}` },
    };
    done.set(env.name, resolved);
    return resolved;
  };
  return parsed.map(resolve);
}

/** Every ARN in an environment (any field, waivers included) names its own account and partition;
 *  derived names are still valid names. */
function ownAccountErrors(env: EnvironmentConfig): string[] {
  if (env.platform !== "aws") return [];
  const out: string[] = [];
  const err = (message: string) => out.push(`config error in ${env.name}: ${message}`);
  const { accountId, region } = env.aws;
  const partition = partitionOf(region);
  const walk = (value: unknown, path: string[]): void => {
    if (typeof value === "string") {
      const arn = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):/.exec(value);
      if (!arn) return;
      const where = path.join(".");
      if (arn[4] && arn[4] !== accountId)
        err(
          `${where} must name ${env.name}'s own account ${accountId} (aws.accountId), not ${arn[4]} (got ${show(value)})`,
        );
      else if (arn[1] !== partition)
        err(
          `${where} must be an ARN of partition ${partition}, the partition of aws.region ${region} (got ${show(value)})`,
        );
      return;
    }
    if (value && typeof value === "object") for (const [k, child] of Object.entries(value)) walk(child, [...path, k]);
  };
  walk(env, []);
  if (!s3BucketNamePattern.test(env.backend.bucket))
    err(
      `backend.bucket must be an S3 bucket name of 3-63 characters; the derived ${show(env.backend.bucket)} is not: set backend.bucket`,
    );
  if (!lakeBucketPrefixPattern.test(env.lake.bucketPrefix))
    err(
      `lake.bucketPrefix must be 3-42 lowercase letters, digits and '-'; the derived ${show(env.lake.bucketPrefix)} is not: set lake.bucketPrefix`,
    );
  return out;
}

/** A standby that fails over takes its source's workload sizes and node groups: the configuration,
 *  not the stacks, decides what a promoted standby runs. Without `failover` it keeps its own. */
function resolveFailover(input: EnvironmentConfig, envs: EnvironmentConfig[]): EnvironmentConfig {
  // CI's roles default to names of the environment's own (created by its bootstrap).
  const env =
    input.platform === "aws"
      ? {
          ...input,
          ci: {
            ...input.ci,
            planRole: input.ci.planRole ?? `odp-${input.name}-ci-plan`,
            applyRole: input.ci.applyRole ?? `odp-${input.name}-ci-apply`,
          },
        }
      : input;
  const waivers = [...env.policy.waivers, ...replicationWaivers(env, envs)];
  if (env.platform !== "aws" || env.standbyOf === undefined || !env.failover) return { ...env, policy: { waivers } };
  const source = envs.find((candidate) => candidate.name === env.standbyOf);
  if (source?.platform !== "aws") return { ...env, policy: { waivers } };
  return {
    ...env,
    workloads: source.workloads,
    cluster: { ...env.cluster, nodeGroups: source.cluster.nodeGroups },
    policy: { waivers },
  };
}

/** S3-007 checks replication within one stack, but a standby's rules live in its own
 *  `<standby>-replication` stack: both foundations say where their buckets' replication is. */
function replicationWaivers(env: EnvironmentConfig, envs: EnvironmentConfig[]): WaiverConfig[] {
  if (env.platform !== "aws") return [];
  const standby = envs.find((candidate) => candidate.platform === "aws" && candidate.standbyOf === env.name);
  const waive = (bucket: string, reason: string) => ({
    rule: "S3-007",
    address: `aws_s3_bucket.lake_${bucket}`,
    stack: `${env.name}-foundation`,
    reason,
  });
  const buckets = [...lakeZones, "platform"];
  if (standby) {
    return buckets.map((bucket) =>
      waive(
        bucket,
        `replicated to ${standby.name} by the rules ${standby.name}-replication writes on this bucket${bucket === "platform" ? " (the snapshot repository only: Dremio's files stay this cluster's)" : ""}`,
      ),
    );
  }
  if (env.standbyOf === undefined) return [];
  if (env.failover) {
    return buckets.map((bucket) =>
      waive(
        bucket,
        `promoted standby: ${env.standbyOf} is lost or fenced, so nothing replicates into this bucket until failback (docs/runbooks/${env.name}-failover.md)`,
      ),
    );
  }
  return buckets.map((bucket) =>
    waive(bucket, `destination of the replication rules in ${env.name}-replication, from ${env.standbyOf}'s bucket`),
  );
}

/** Same as loadEnvironments, throwing a ConfigError that lists every problem. */
export function loadOrThrow(raw: Record<string, unknown>): EnvironmentConfig[] {
  const result = loadEnvironments(raw);
  if (!result.ok) throw new ConfigError(result.errors);
  return result.environments;
}

/** Names an environment serves: its domain and one host per platform service under it. */
const hostsOf = (env: EnvironmentConfig) => platformHostLabels.map((label) => `${label}.${env.domain}`);

function crossEnvironmentErrors(envs: EnvironmentConfig[]): string[] {
  const out: string[] = [];
  const byName = new Map(envs.map((env) => [env.name, env]));
  // Each environment's names are its own: a shared domain, or a domain that is another's host
  // name, would point one environment's DNS records and certificates at the other's.
  envs.forEach((env, i) => {
    for (const other of envs) {
      if (other === env) continue;
      if (env.domain === other.domain && envs.indexOf(other) < i)
        out.push(
          `config error in ${env.name}: domain must differ from ${other.name}'s: both are ${env.domain} (each environment needs a domain of its own)`,
        );
      else if (hostsOf(other).includes(env.domain)) {
        out.push(
          `config error in ${env.name}: domain must not be one of ${other.name}'s host names (${platformHostLabels.join(", ")} under ${other.domain}) (got ${env.domain})`,
        );
      }
    }
  });
  // One bucket lives in one region: environments that share a state bucket share its region.
  const aws = envs.filter((env): env is AwsEnvironment => env.platform === "aws");
  aws.forEach((env, i) => {
    const other = aws
      .slice(0, i)
      .find(
        (earlier) => earlier.backend.bucket === env.backend.bucket && earlier.backend.region !== env.backend.region,
      );
    const source = aws.find((candidate) => candidate.name === env.standbyOf);
    // A standby on its source's bucket is told so by the standby rules below.
    if (other && source?.backend.bucket !== env.backend.bucket)
      out.push(
        `config error in ${env.name}: backend.region must be ${other.backend.region} like ${other.name}'s, which shares the state bucket ${env.backend.bucket}; or set backend.bucket to one of ${env.name}'s own (got ${env.backend.region})`,
      );
  });
  for (const env of envs) {
    // Hosted runners call from GitHub's addresses: a private endpoint is out of their reach.
    if (
      env.platform === "aws" &&
      env.ci.runner.kind === "github-hosted" &&
      env.cluster.publicAccessCidrs.length === 0
    ) {
      out.push(
        `config error in ${env.name}: ci.runner must be self-hosted or codebuild (a runner in or peered with the VPC): github-hosted runners cannot reach the private EKS endpoint (cluster.publicAccessCidrs is empty) that the addons and apps plans call`,
      );
    }
  }
  for (const env of envs) {
    if (env.platform !== "aws" || env.standbyOf === undefined) continue;
    const err = (message: string) => out.push(`config error in ${env.name}: ${message}`);
    const source = byName.get(env.standbyOf);
    if (!source) {
      err(
        `standbyOf must name an existing environment (one of ${[...byName.keys()].join(", ")}) (got "${env.standbyOf}")`,
      );
      continue;
    }
    if (source.platform !== "aws") {
      err(`standbyOf must name an environment on platform aws ("${source.name}" is ${source.platform})`);
      continue;
    }
    if (source.standbyOf !== undefined)
      err(`standbyOf must name a primary environment, not another standby ("${source.name}")`);
    if (source.aws.region === env.aws.region)
      err(`aws.region must differ from ${source.name}'s region (got ${env.aws.region})`);
    // The standby must start while its source's region is down: its state cannot live there.
    if (env.backend.region !== env.aws.region)
      err(
        `backend.region must be ${env.name}'s own region ${env.aws.region}: with ${source.name}'s region down, terraform init of ${env.name}'s stacks must still reach its state (got ${env.backend.region})`,
      );
    if (env.backend.bucket === source.backend.bucket)
      err(
        `backend.bucket must not be ${source.name}'s state bucket (${source.backend.bucket}): give ${env.name} its own, in ${env.aws.region}`,
      );
    // A failover plans dr's stacks with Route 53's control plane (us-east-1) possibly down: no zone
    // may be looked up by name then.
    if (env.dns.zoneId === undefined)
      err(
        `dns.zoneId is required for a standby: a failover must not look up the zone ${env.dns.zone} by name (Route 53's control plane runs in us-east-1)`,
      );
    else if (source.dns.zone !== env.dns.zone && source.dns.zoneId === undefined)
      err(
        `dns.zoneId of ${source.name} is required: the standby writes failover records in ${source.dns.zone}, which a failover must not look up by name`,
      );
    if (source.aws.accountId !== env.aws.accountId)
      err(`aws.accountId must equal ${source.name}'s account (cross-account replication is not supported)`);
    if (isCidr(source.network.cidr) && cidrsOverlap(source.network.cidr, env.network.cidr)) {
      err(`network.cidr must not overlap ${source.name}'s ${source.network.cidr} (got ${env.network.cidr})`);
    }
    // S3 keeps one replication configuration per bucket: a second standby would overwrite the first's.
    const first = envs.find((candidate) => candidate.platform === "aws" && candidate.standbyOf === source.name);
    if (first && first !== env)
      err(
        `standbyOf must name a source without another standby: ${source.name} already replicates to ${first.name} (one source, one standby)`,
      );
    // A failover takes the source's node groups: same names and instance and capacity types keep
    // that an in-place resize, never a replacement of the standby's groups.
    const groups = (environment: typeof env) => Object.keys(environment.cluster.nodeGroups).sort().join(", ");
    if (groups(source) !== groups(env))
      err(
        `cluster.nodeGroups must name the same groups as ${source.name}'s (${groups(source)}): a failover takes its node groups (got ${groups(env)})`,
      );
    for (const [name, group] of Object.entries(env.cluster.nodeGroups)) {
      const sourceGroup = source.cluster.nodeGroups[name];
      if (!sourceGroup) continue;
      if (sourceGroup.instanceTypes.join() !== group.instanceTypes.join())
        err(
          `cluster.nodeGroups.${name}.instanceTypes must equal ${source.name}'s (${sourceGroup.instanceTypes.join(", ")}): a failover must not replace node groups`,
        );
      if (sourceGroup.capacityType !== group.capacityType)
        err(
          `cluster.nodeGroups.${name}.capacityType must equal ${source.name}'s (${sourceGroup.capacityType}): a failover must not replace node groups`,
        );
    }
    for (const zone of lakeZones) {
      const want = source.lake.zones[zone].objectLock !== undefined;
      const got = env.lake.zones[zone].objectLock !== undefined;
      if (want !== got)
        err(
          `lake.zones.${zone}.objectLock must be ${want ? "set" : "unset"} like ${source.name}'s: replicas of object-locked buckets need object lock`,
        );
    }
  }
  return out;
}

/** One line per zod issue, and per unknown key: an unknown key is told the nearest known one. */
function describeIssues(issue: z.core.$ZodIssue, input: unknown): string[] {
  if (issue.code !== "unrecognized_keys") return [describeIssue(issue, input)];
  const known = knownKeysAt(input, issue.path);
  const at = issue.path.length ? `${issue.path.map(String).join(".")}.` : "";
  const where = issue.path.length ? ` of ${issue.path.map(String).join(".")}` : "";
  return issue.keys.map((key) => {
    const near = known.length ? nearest(key, known) : undefined;
    const name = /^[\w-]+$/.test(key) ? key : JSON.stringify(key);
    if (near) return `${at}${name} is not a known field${where}: did you mean ${near}?`;
    return `${at}${name} is not a known field${known.length ? `${where} (known: ${known.join(", ")})` : ""}`;
  });
}

/** The field names the schema knows at `path` of an environment (by its platform). */
function knownKeysAt(input: unknown, path: readonly PropertyKey[]): string[] {
  const platform = input && typeof input === "object" ? (input as { platform?: unknown }).platform : undefined;
  let schema: z.core.$ZodType | undefined =
    platform === "local" ? localEnvironmentSchema : platform === "aws" ? awsEnvironmentSchema : undefined;
  for (const key of path) {
    if (!schema) return [];
    schema = childSchema(schema, key);
  }
  const shape = schema && objectShape(schema);
  return shape ? Object.keys(shape) : [];
}

/** Strips wrappers (optional, default, pipe) down to the schema that holds values. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  const def = schema._zod.def as unknown as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === "pipe" && def.in) return unwrap(def.in);
  return schema;
}
function objectShape(schema: z.core.$ZodType): Record<string, z.core.$ZodType> | undefined {
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.core.$ZodType>) : undefined;
}
function childSchema(schema: z.core.$ZodType, key: PropertyKey): z.core.$ZodType | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) return (inner.shape as Record<string, z.core.$ZodType>)[String(key)];
  if (inner instanceof z.ZodRecord) return inner._zod.def.valueType;
  if (inner instanceof z.ZodArray) return inner._zod.def.element;
  return undefined;
}

/** One line per zod issue: the dotted path, what is allowed, and the value that was given. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = issue.path.length ? issue.path.map(String).join(".") : "(root)";
  const value = valueAt(input, issue.path);
  const got = value === undefined ? "" : ` (got ${show(value)})`;
  switch (issue.code) {
    case "invalid_type":
      return value === undefined
        ? `${path} is required (${issue.expected})`
        : `${path} must be ${issue.expected}${got}`;
    case "too_small":
      return `${path} must be ${issue.origin === "array" ? "a list of length " : ""}>= ${String(issue.minimum)}${got}`;
    case "too_big":
      return `${path} must be ${issue.origin === "array" ? "a list of length " : ""}<= ${String(issue.maximum)}${got}`;
    case "invalid_value":
      return `${path} must be one of ${issue.values.map((allowed) => show(allowed)).join(", ")}${got}`;
    case "unrecognized_keys":
      return `${path === "(root)" ? "" : path + "."}${issue.keys.join(", ")} is not a known field`;
    case "invalid_union":
      if (issue.path.length === 0 || (issue as { note?: string }).note) {
        return `${path === "(root)" ? "platform" : path} must be one of "aws", "local"${got}`;
      }
      // A union of literals (log retention days, ZooKeeper replicas): list what is allowed.
      if (
        issue.errors.length &&
        issue.errors.every((unionErrors) => unionErrors.length === 1 && unionErrors[0]!.code === "invalid_value")
      ) {
        return `${path} must be one of ${issue.errors.flatMap((unionErrors) => (unionErrors[0] as z.core.$ZodIssueInvalidValue).values.map((allowed) => show(allowed))).join(", ")}${got}`;
      }
      return `${path} ${issue.message}${got}`;
    case "invalid_key":
      // A record key (a node group's name, a label): what it may be, instead of zod's "Invalid key in record".
      return `${path} is not an allowed key: ${issue.issues.map((i) => (/^(must|is) /.test(i.message) ? i.message : `must be ${i.message}`)).join("; ")}`;
    default:
      // Schema messages are either whole predicates ("must be >= 7 for tier production") or,
      // for formats and refinements, what is allowed ("an AWS region such as eu-west-1").
      return /^(must|is) /.test(issue.message)
        ? `${path} ${issue.message}${got}`
        : `${path} must be ${issue.message}${got}`;
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function show(value: unknown): string {
  let text: string;
  try {
    // JSON.stringify throws on a BigInt (a config file may hold `3n`) and on cycles.
    const bigint = (_k: string, fieldValue: unknown) =>
      typeof fieldValue === "bigint" ? `${fieldValue}n` : fieldValue;
    text = typeof value === "bigint" ? `${value}n` : (JSON.stringify(value, bigint) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

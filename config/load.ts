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
    : { ok: true, environments: environments.map((e) => resolveFailover(e, environments)) };
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
      (s) => s.name === env.standbyOf && s.platform === "aws" && s.standbyOf === undefined && s !== env,
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
  const err = (m: string) => out.push(`config error in ${env.name}: ${m}`);
  const { accountId, region } = env.aws;
  const partition = partitionOf(region);
  const walk = (v: unknown, path: string[]): void => {
    if (typeof v === "string") {
      const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):/.exec(v);
      if (!m) return;
      const where = path.join(".");
      if (m[4] && m[4] !== accountId)
        err(`${where} must name ${env.name}'s own account ${accountId} (aws.accountId), not ${m[4]} (got ${show(v)})`);
      else if (m[1] !== partition)
        err(
          `${where} must be an ARN of partition ${partition}, the partition of aws.region ${region} (got ${show(v)})`,
        );
      return;
    }
    if (v && typeof v === "object") for (const [k, child] of Object.entries(v)) walk(child, [...path, k]);
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
  const source = envs.find((e) => e.name === env.standbyOf);
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
  const standby = envs.find((e) => e.platform === "aws" && e.standbyOf === env.name);
  const waive = (bucket: string, reason: string) => ({
    rule: "S3-007",
    address: `aws_s3_bucket.lake_${bucket}`,
    stack: `${env.name}-foundation`,
    reason,
  });
  const buckets = [...lakeZones, "platform"];
  if (standby) {
    return buckets.map((b) =>
      waive(
        b,
        `replicated to ${standby.name} by the rules ${standby.name}-replication writes on this bucket${b === "platform" ? " (the snapshot repository only: Dremio's files stay this cluster's)" : ""}`,
      ),
    );
  }
  if (env.standbyOf === undefined) return [];
  if (env.failover) {
    return buckets.map((b) =>
      waive(
        b,
        `promoted standby: ${env.standbyOf} is lost or fenced, so nothing replicates into this bucket until failback (docs/runbooks/${env.name}-failover.md)`,
      ),
    );
  }
  return buckets.map((b) =>
    waive(b, `destination of the replication rules in ${env.name}-replication, from ${env.standbyOf}'s bucket`),
  );
}

/** Same as loadEnvironments, throwing a ConfigError that lists every problem. */
export function loadOrThrow(raw: Record<string, unknown>): EnvironmentConfig[] {
  const r = loadEnvironments(raw);
  if (!r.ok) throw new ConfigError(r.errors);
  return r.environments;
}

/** Names an environment serves: its domain and one host per platform service under it. */
const hostsOf = (env: EnvironmentConfig) => platformHostLabels.map((l) => `${l}.${env.domain}`);

function crossEnvironmentErrors(envs: EnvironmentConfig[]): string[] {
  const out: string[] = [];
  const byName = new Map(envs.map((e) => [e.name, e]));
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
  const aws = envs.filter((e): e is AwsEnvironment => e.platform === "aws");
  aws.forEach((env, i) => {
    const other = aws
      .slice(0, i)
      .find((o) => o.backend.bucket === env.backend.bucket && o.backend.region !== env.backend.region);
    const source = aws.find((o) => o.name === env.standbyOf);
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
    const err = (m: string) => out.push(`config error in ${env.name}: ${m}`);
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
    const first = envs.find((e) => e.platform === "aws" && e.standbyOf === source.name);
    if (first && first !== env)
      err(
        `standbyOf must name a source without another standby: ${source.name} already replicates to ${first.name} (one source, one standby)`,
      );
    // A failover takes the source's node groups: same names and instance and capacity types keep
    // that an in-place resize, never a replacement of the standby's groups.
    const groups = (e: typeof env) => Object.keys(e.cluster.nodeGroups).sort().join(", ");
    if (groups(source) !== groups(env))
      err(
        `cluster.nodeGroups must name the same groups as ${source.name}'s (${groups(source)}): a failover takes its node groups (got ${groups(env)})`,
      );
    for (const [name, g] of Object.entries(env.cluster.nodeGroups)) {
      const s = source.cluster.nodeGroups[name];
      if (!s) continue;
      if (s.instanceTypes.join() !== g.instanceTypes.join())
        err(
          `cluster.nodeGroups.${name}.instanceTypes must equal ${source.name}'s (${s.instanceTypes.join(", ")}): a failover must not replace node groups`,
        );
      if (s.capacityType !== g.capacityType)
        err(
          `cluster.nodeGroups.${name}.capacityType must equal ${source.name}'s (${s.capacityType}): a failover must not replace node groups`,
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
  const s = unwrap(schema);
  return s instanceof z.ZodObject ? (s.shape as Record<string, z.core.$ZodType>) : undefined;
}
function childSchema(schema: z.core.$ZodType, key: PropertyKey): z.core.$ZodType | undefined {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return (s.shape as Record<string, z.core.$ZodType>)[String(key)];
  if (s instanceof z.ZodRecord) return s._zod.def.valueType;
  if (s instanceof z.ZodArray) return s._zod.def.element;
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
      return `${path} must be one of ${issue.values.map((v) => show(v)).join(", ")}${got}`;
    case "unrecognized_keys":
      return `${path === "(root)" ? "" : path + "."}${issue.keys.join(", ")} is not a known field`;
    case "invalid_union":
      if (issue.path.length === 0 || (issue as { note?: string }).note) {
        return `${path === "(root)" ? "platform" : path} must be one of "aws", "local"${got}`;
      }
      // A union of literals (log retention days, ZooKeeper replicas): list what is allowed.
      if (issue.errors.length && issue.errors.every((e) => e.length === 1 && e[0]!.code === "invalid_value")) {
        return `${path} must be one of ${issue.errors.flatMap((e) => (e[0] as z.core.$ZodIssueInvalidValue).values.map((v) => show(v))).join(", ")}${got}`;
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

function show(v: unknown): string {
  let s: string;
  try {
    // JSON.stringify throws on a BigInt (a config file may hold `3n`) and on cycles.
    const bigint = (_k: string, x: unknown) => (typeof x === "bigint" ? `${x}n` : x);
    s = typeof v === "bigint" ? `${v}n` : (JSON.stringify(v, bigint) ?? String(v));
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

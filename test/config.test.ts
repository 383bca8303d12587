import { describe, expect, it } from "vitest";
import { loadEnvironments, protectedTiers } from "../config";
import { jvmMemory } from "../constructs/k8s/workloads/dremio-config";
import { inputs } from "./helpers";
import { fixtureInputs } from "./fixtures/environments";

type Mutate = (raw: Record<string, any>) => void;

/** Applies one breaking change to the committed configuration and returns the error lines. */
function errorsAfter(mutate: Mutate): string[] {
  const raw = inputs();
  mutate(raw);
  const result = loadEnvironments(raw);
  return result.ok ? [] : result.errors;
}

describe("committed configuration", () => {
  it("loads every environment", () => {
    const result = loadEnvironments(fixtureInputs);
    expect(result.ok ? result.environments.map((env) => [env.name, env.tier, env.platform]) : result.errors).toEqual([
      ["dev", "development", "local"],
      ["staging", "staging", "aws"],
      ["prod", "production", "aws"],
      ["dr", "standby", "aws"],
    ]);
  });

  it("decides once, in the loader, which environments are protected (production and standby tiers)", () => {
    const result = loadEnvironments(fixtureInputs);
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.environments.map((env) => [env.tier, env.isProtected])).toEqual(
      result.environments.map((env) => [env.tier, protectedTiers.includes(env.tier)]),
    );
    expect(new Set(result.environments.map((env) => env.isProtected))).toEqual(new Set([true, false]));
  });

  it("keeps the seeds' production shape", () => {
    const result = loadEnvironments(fixtureInputs);
    if (!result.ok) throw new Error(result.errors.join("\n"));
    const prod = result.environments.find((env) => env.name === "prod");
    if (prod?.platform !== "aws") throw new Error("prod must be on aws");
    expect(prod.cluster.nodeGroups.general).toMatchObject({ minSize: 3, desiredSize: 5, maxSize: 10 });
    expect(prod.database).toMatchObject({
      instanceClass: "db.r6g.xlarge",
      multiAz: true,
      backupRetentionDays: 30,
      allocatedStorageGiB: 100,
      maxAllocatedStorageGiB: 1000,
    });
    expect(prod.database.tuning.maxConnections).toBe(200);
    expect(prod.network.azCount).toBeGreaterThanOrEqual(3);
    expect(Number(prod.cluster.version.split(".")[1])).toBeGreaterThanOrEqual(31);
  });

  it("loading writes nothing and never throws on garbage", () => {
    for (const garbage of [null, 42, "prod", [], { platform: "aws" }]) {
      const result = loadEnvironments({ prod: garbage });
      expect(result.ok).toBe(false);
    }
  });
});

// Each case: a change, and the exact line (or a fragment of it) it must produce.
const invalid: [string, Mutate, string][] = [
  [
    "backup retention below the production minimum",
    (raw) => (raw.prod.database.backupRetentionDays = 3),
    "config error in prod: database.backupRetentionDays must be >= 7 for tier production (got 3)",
  ],
  [
    "production with two AZs",
    (raw) => (raw.prod.network.azCount = 2),
    "config error in prod: network.azCount must be >= 3 for tier production (got 2)",
  ],
  [
    "standby with one AZ",
    (raw) => (raw.dr.network.azCount = 1),
    "config error in dr: network.azCount must be >= 2 for tier standby (got 1)",
  ],
  [
    "production without Multi-AZ",
    (raw) => (raw.prod.database.multiAz = false),
    "config error in prod: database.multiAz must be true for tier production (got false)",
  ],
  [
    "production without deletion protection",
    (raw) => (raw.prod.protection.deletionProtection = false),
    "config error in prod: protection.deletionProtection must be true for tier production (got false)",
  ],
  [
    "standby without deletion protection",
    (raw) => (raw.dr.protection.deletionProtection = false),
    "config error in dr: protection.deletionProtection must be true for tier standby (got false)",
  ],
  [
    "production with a single NAT",
    (raw) => (raw.prod.network.natGateways = "single"),
    'config error in prod: network.natGateways must be per-az for tier production (got "single")',
  ],
  [
    "min above desired",
    (raw) => (raw.prod.cluster.nodeGroups.general.minSize = 6),
    "config error in prod: cluster.nodeGroups.general.desiredSize must be >= minSize (6) (got 5)",
  ],
  [
    "desired above max",
    (raw) => (raw.staging.cluster.nodeGroups.general.desiredSize = 9),
    "config error in staging: cluster.nodeGroups.general.maxSize must be >= desiredSize (9) (got 6)",
  ],
  [
    "malformed CIDR",
    (raw) => (raw.prod.network.cidr = "10.20.0.0/33"),
    'config error in prod: network.cidr must be an IPv4 CIDR such as 10.20.0.0/16 (got "10.20.0.0/33")',
  ],
  [
    "CIDR with host bits",
    (raw) => (raw.staging.network.cidr = "10.10.0.1/16"),
    "config error in staging: network.cidr must be a network address with no host bits set",
  ],
  [
    "VPC too small",
    (raw) => (raw.staging.network.cidr = "10.10.0.0/24"),
    'config error in staging: network.cidr must be a CIDR between /16 and /20 (got "10.10.0.0/24")',
  ],
  [
    "bad region",
    (raw) => (raw.prod.aws.region = "europe"),
    'config error in prod: aws.region must be a commercial or GovCloud AWS region such as eu-west-1 (config/aws-catalog.ts lists them) (got "europe")',
  ],
  [
    "bad account id",
    (raw) => (raw.prod.aws.accountId = "1234"),
    'config error in prod: aws.accountId must be a 12-digit AWS account id (got "1234")',
  ],
  [
    "bad instance class",
    (raw) => (raw.staging.database.instanceClass = "r6g.xlarge"),
    'config error in staging: database.instanceClass must be an RDS instance class such as db.r6g.xlarge: did you mean db.r6g.xlarge? (got "r6g.xlarge")',
  ],
  [
    "bad EC2 instance type",
    (raw) => (raw.prod.cluster.nodeGroups.general.instanceTypes = ["huge"]),
    'config error in prod: cluster.nodeGroups.general.instanceTypes.0 must be an EC2 instance type such as m7i.2xlarge (config/aws-catalog.ts lists them) (got "huge")',
  ],
  [
    "JVM executors that request less memory than their limit",
    (raw) => (raw.staging.workloads.dremio.executors.requests.memoryGiB = 8),
    "config error in staging: workloads.dremio.executors.requests.memoryGiB must equal limits.memoryGiB (16) for a JVM workload (got 8)",
  ],
  [
    "a Dremio coordinator larger than one managed node",
    (raw) => (raw.staging.cluster.nodeGroups.general.instanceTypes = ["m7i.xlarge", "m6i.xlarge"]),
    "config error in staging: workloads.dremio.coordinator.memoryGiB must fit one node of node group general (m7i.xlarge, m6i.xlarge: about 13 GiB allocatable) (got 16)",
  ],
  [
    "unsupported EKS version",
    (raw) => (raw.staging.cluster.version = "1.27"),
    'config error in staging: cluster.version must be one of "1.35" (got "1.27")',
  ],
  [
    "PostgreSQL 15",
    (raw) => (raw.prod.database.engineVersion = "15.7"),
    'config error in prod: database.engineVersion must be a PostgreSQL 16 or 17 minor version such as 17.6 (got "15.7")',
  ],
  [
    "bad domain",
    (raw) => (raw.prod.domain = "Not A Domain"),
    "config error in prod: domain must be a lowercase DNS domain such as ",
  ],
  [
    "unknown tier",
    (raw) => (raw.staging.tier = "qa"),
    'config error in staging: tier must be one of "development", "staging", "production", "standby" (got "qa")',
  ],
  [
    "unknown field",
    (raw) => (raw.prod.database.password = "x"),
    "config error in prod: database.password is not a known field",
  ],
  ["missing field", (raw) => delete raw.prod.tags, "config error in prod: tags is required (object)"],
  [
    "wrong type",
    (raw) => (raw.prod.network.azCount = "3"),
    'config error in prod: network.azCount must be number (got "3")',
  ],
  [
    "standby of a missing environment",
    (raw) => (raw.dr.standbyOf = "prod2"),
    'config error in dr: standbyOf must name an existing environment (one of dev, staging, prod, dr) (got "prod2")',
  ],
  [
    "standby in its source's region",
    (raw) => (raw.dr.aws.region = raw.prod.aws.region),
    "config error in dr: aws.region must differ from prod's region (got us-east-1)",
  ],
  [
    "replicating environments with overlapping CIDRs",
    (raw) => (raw.dr.network.cidr = "10.20.0.0/16"),
    "config error in dr: network.cidr must not overlap prod's 10.20.0.0/16 (got 10.20.0.0/16)",
  ],
  [
    "standby without standbyOf",
    (raw) => delete raw.dr.standbyOf,
    "config error in dr: standbyOf is required for tier standby",
  ],
  [
    "standbyOf on a primary",
    (raw) => (raw.staging.standbyOf = "prod"),
    "config error in staging: standbyOf is allowed only for tier standby (got tier staging)",
  ],
  [
    "failover on a primary",
    (raw) => (raw.prod.failover = true),
    "config error in prod: failover is allowed only for tier standby",
  ],
  // Found by test/fuzz: two standbys of one source would overwrite each other's replication rules.
  [
    "a second standby of prod",
    (raw) =>
      (raw.dr2 = {
        ...raw.dr,
        name: "dr2",
        aws: { ...raw.dr.aws, region: "eu-west-1" },
        network: { ...raw.dr.network, cidr: "10.31.0.0/16" },
      }),
    "config error in dr2: standbyOf must name a source without another standby: prod already replicates to dr (one source, one standby)",
  ],
  [
    "object lock not mirrored",
    (raw) => ((raw.dr.lake = structuredClone(raw.dr.lake)), delete raw.dr.lake.zones.gold.objectLock),
    "config error in dr: lake.zones.gold.objectLock must be set like prod's",
  ],
  [
    "open public endpoint",
    (raw) => (raw.staging.cluster.publicAccessCidrs = ["0.0.0.0/0"]),
    "config error in staging: cluster.publicAccessCidrs.0 must not open the API endpoint to the whole internet",
  ],
  [
    "storage ceiling below storage",
    (raw) => (raw.prod.database.maxAllocatedStorageGiB = 50),
    "config error in prod: database.maxAllocatedStorageGiB must be >= database.allocatedStorageGiB (100) (got 50)",
  ],
  [
    "bad backup window",
    (raw) => (raw.prod.database.backupWindow = "3am"),
    'config error in prod: database.backupWindow must be a UTC window hh:mm-hh:mm (got "3am")',
  ],
  [
    "unknown platform",
    (raw) => (raw.dev.platform = "gcp"),
    'config error in dev: platform must be one of "aws", "local" (got "gcp")',
  ],
  [
    "name differs from key",
    (raw) => (raw.staging.name = "stage"),
    'config error in staging: name must equal the environment\'s key "staging" (got "stage")',
  ],
  [
    "invalid log retention",
    (raw) => (raw.prod.cluster.logRetentionDays = 100),
    "config error in prod: cluster.logRetentionDays",
  ],
  // Found by test/fuzz: a BigInt made the message itself throw; heaps the JVM settings refuse, dbt
  // targets the construct refuses and template syntax in free text passed; some lines read "Invalid input".
  [
    "a BigInt value",
    (raw) => (raw.staging.network.azCount = 3n),
    "config error in staging: network.azCount must be number (got 3n)",
  ],
  [
    "executor heap without room for direct memory",
    (raw) =>
      Object.assign(raw.dev.workloads.dremio.executors, {
        heapMinGiB: 51,
        heapMaxGiB: 51,
        limits: { cpu: 2, memoryGiB: 52 },
      }),
    "config error in dev: workloads.dremio.executors.heapMaxGiB must leave room for >= 1 GiB of direct memory",
  ],
  [
    "Terraform template syntax in a tag",
    (raw) => (raw.staging.tags.owner = "${var.x}"),
    "config error in staging: tags.owner must be an AWS tag value",
  ],
  [
    "Terraform template syntax in the kube context",
    (raw) => (raw.dev.cluster.context = "%{x}"),
    "config error in dev: cluster.context must be text without Terraform template syntax",
  ],
  [
    "node label value Kubernetes refuses",
    (raw) => (raw.staging.cluster.nodeGroups.general.labels = { role: "${x}" }),
    "config error in staging: cluster.nodeGroups.general.labels.role must be a Kubernetes label value",
  ],
  [
    "dbt target the construct refuses",
    (raw) => (raw.staging.workloads.dbt.target = "a b"),
    "config error in staging: workloads.dbt.target must be a dbt target name",
  ],
  [
    "node group name",
    (raw) => (raw.staging.cluster.nodeGroups.Bad_Name = raw.staging.cluster.nodeGroups.general),
    "config error in staging: cluster.nodeGroups.Bad_Name is not an allowed key: must be a short lowercase name",
  ],
  [
    "ZooKeeper ensemble of two",
    (raw) => (raw.staging.workloads.dremio.zookeeper.replicas = 2),
    "config error in staging: workloads.dremio.zookeeper.replicas must be one of 1, 3, 5 (got 2)",
  ],
  [
    "coordinator heap without room for direct memory",
    (raw) => (raw.dev.workloads.dremio.coordinator.heapGiB = 5),
    "config error in dev: workloads.dremio.coordinator.heapGiB must leave room for >= 1 GiB of direct memory",
  ],
];

describe("Dremio memory", () => {
  // The schema must accept exactly the heaps the construct's JVM settings accept, or a valid
  // configuration fails in synthesis (found by test/fuzz).
  it.each([4, 6, 16, 32, 52, 256])(
    "accepts the largest heap the JVM settings allow in %i GiB, and no larger",
    (memoryGiB) => {
      let largest = 0;
      for (let heap = 1; heap < memoryGiB; heap++) {
        try {
          jvmMemory(memoryGiB, heap);
          largest = heap;
        } catch {
          break;
        }
      }
      const withHeap = (heapGiB: number) =>
        errorsAfter((raw) => Object.assign(raw.dev.workloads.dremio.coordinator, { memoryGiB, heapGiB })).filter(
          (error) => error.includes("coordinator.heapGiB"),
        );
      if (largest >= 2) expect(withHeap(largest)).toEqual([]);
      expect(withHeap(largest + 1)).toHaveLength(1);
    },
  );
});

describe("invalid configuration", () => {
  it.each(invalid)("rejects %s with its path", (_name, mutate, expected) => {
    const errors = errorsAfter(mutate);
    expect(
      errors.some((error) => error.startsWith(expected)),
      `expected a line starting with:\n  ${expected}\ngot:\n  ${errors.join("\n  ")}`,
    ).toBe(true);
  });

  it("reports every problem at once, one line each", () => {
    const errors = errorsAfter((raw) => {
      raw.prod.database.backupRetentionDays = 3;
      raw.staging.aws.region = "nowhere";
    });
    expect(errors.filter((error) => error.startsWith("config error in prod:")).length).toBeGreaterThanOrEqual(1);
    expect(errors.filter((error) => error.startsWith("config error in staging:")).length).toBeGreaterThanOrEqual(1);
    for (const error of errors) expect(error).not.toContain("\n");
  });
});

// Issue 16, "one source for each fact". The fixtures are the committed inputs with their account,
// region and domain changed here, in the test, so that no rule depends on the sample's values.
const committedAccounts = Object.values(fixtureInputs as Record<string, any>).flatMap((env) =>
  env.platform === "aws" ? [env.aws.accountId as string] : [],
);
/** An account none of the committed environments uses. */
const account = ["210987654321", "109876543210"].find((candidate) => !committedAccounts.includes(candidate))!;
/** Every AWS environment moved to another account (the state of a team that adopted the product). */
function ownAccount(raw: Record<string, any>): Record<string, any> {
  for (const env of Object.values(raw)) if (env.platform === "aws") env.aws = { ...env.aws, accountId: account };
  return raw;
}
const loaded = (raw: Record<string, any>) => {
  const result = loadEnvironments(raw);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return Object.fromEntries(result.environments.map((env) => [env.name, env])) as Record<string, any>;
};

describe("values derived from the account id", () => {
  it("each committed environment states its account id once", () => {
    for (const [name, env] of Object.entries(fixtureInputs as Record<string, any>)) {
      if (env.platform !== "aws") continue;
      const id: string = env.aws.accountId;
      expect(JSON.stringify(env).split(id).length - 1, `${name} states its account id ${id} more than once`).toBe(1);
    }
  });

  it("derives the state bucket, the lake's bucket prefix and the admin role's ARN from the account", () => {
    const envs = loaded(ownAccount(inputs()));
    const aws = Object.values(envs).filter((env) => env.platform === "aws");
    expect(aws.length).toBeGreaterThan(0);
    for (const env of aws) {
      expect(env.lake.bucketPrefix).toBe(`odp-${account}`);
      expect(env.cluster.adminRoleArn).toMatch(new RegExp(`^arn:aws:iam::${account}:role/`));
      if (env.standbyOf)
        expect(env.backend).toMatchObject({
          bucket: `${envs[env.standbyOf].backend.bucket}-${env.aws.region}`,
          region: env.aws.region,
        });
      else expect(env.backend.bucket).toBe(`odp-terraform-state-${account}`);
    }
    // Nothing of the committed accounts is left anywhere, waivers included.
    for (const old of committedAccounts) expect(JSON.stringify(envs)).not.toContain(old);
  });

  it("takes a state region from aws.region, and a role ARN in GovCloud's partition there", () => {
    const raw = inputs();
    raw.staging.aws = { accountId: account, region: "us-gov-west-1" };
    delete raw.staging.backend.region;
    const { staging } = loaded(raw);
    expect(staging.backend).toEqual({
      type: "s3",
      bucket: `odp-terraform-state-${account}`,
      keyPrefix: "odp",
      region: "us-gov-west-1",
    });
    expect(staging.cluster.adminRoleArn).toBe(`arn:aws-us-gov:iam::${account}:role/platform-admin`);
  });

  it("keeps values given explicitly", () => {
    const raw = inputs();
    raw.staging.backend = { ...raw.staging.backend, bucket: "acme-tfstate" };
    raw.staging.lake = { ...raw.staging.lake, bucketPrefix: "acme-lake" };
    raw.staging.cluster.adminRoleArn = `arn:aws:iam::${raw.staging.aws.accountId}:role/ops/admin`;
    const { staging } = loaded(raw);
    expect([staging.backend.bucket, staging.lake.bucketPrefix, staging.cluster.adminRoleArn]).toEqual([
      "acme-tfstate",
      "acme-lake",
      `arn:aws:iam::${raw.staging.aws.accountId}:role/ops/admin`,
    ]);
  });
});

const oneSource: [string, Mutate, string][] = [
  [
    "an admin role ARN of another account",
    (raw) => (raw.staging.cluster.adminRoleArn = `arn:aws:iam::${account}:role/platform-admin`),
    `config error in staging: cluster.adminRoleArn must name staging's own account ${r0("staging")} (aws.accountId), not ${account} (got "arn:aws:iam::${account}:role/platform-admin")`,
  ],
  [
    "an ARN of another partition",
    (raw) => (raw.staging.cluster.adminRoleArn = `arn:aws-us-gov:iam::${r0("staging")}:role/x`),
    "config error in staging: cluster.adminRoleArn must be an ARN of partition aws, the partition of aws.region",
  ],
  [
    "an admin role that is neither a name nor an ARN",
    (raw) => (raw.staging.cluster.adminRoleArn = "arn:aws:iam::12:role/x"),
    "config error in staging: cluster.adminRoleArn must be an IAM role name such as platform-admin, or an IAM role ARN",
  ],
  [
    "two environments sharing a state bucket in two regions",
    (raw) =>
      (raw.qa = {
        ...structuredClone(raw.staging),
        name: "qa",
        domain: "qa.fixture.example",
        aws: { ...raw.staging.aws, region: "eu-west-1" },
        backend: { type: "s3", keyPrefix: "odp" },
      }),
    "config error in qa: backend.region must be us-east-1 like staging's, which shares the state bucket",
  ],
  [
    "a derived state bucket name too long",
    (raw) => (raw.prod.backend = { ...raw.prod.backend, bucket: "a".repeat(60) }),
    "config error in dr: backend.bucket must be an S3 bucket name of 3-63 characters; the derived",
  ],
  // Domains and DNS names are each environment's own.
  [
    "two environments with one domain",
    (raw) => (raw.staging.domain = raw.prod.domain),
    "config error in prod: domain must differ from staging's: both are",
  ],
  [
    "a local environment on an AWS environment's domain",
    (raw) => (raw.dev.domain = raw.staging.domain),
    "config error in staging: domain must differ from dev's",
  ],
  [
    "a domain that is another environment's host",
    (raw) => (raw.staging.domain = `grafana.${raw.prod.domain}`),
    "config error in staging: domain must not be one of prod's host names (airbyte, superset, dremio, grafana, takeover under",
  ],
  // Regions and instance classes exist.
  [
    "a misspelt region",
    (raw) => (raw.staging.aws.region = "us-esat-1"),
    'config error in staging: aws.region must be a commercial or GovCloud AWS region such as eu-west-1: did you mean us-east-1? (got "us-esat-1")',
  ],
  [
    "a misspelt state region",
    (raw) => (raw.staging.backend.region = "eu-wset-1"),
    'config error in staging: backend.region must be a commercial or GovCloud AWS region such as eu-west-1: did you mean eu-west-1? (got "eu-wset-1")',
  ],
  [
    "a region of an unsupported partition",
    (raw) => (raw.staging.aws.region = "cn-north-1"),
    "config error in staging: aws.region must be a commercial or GovCloud AWS region",
  ],
  [
    "an RDS class that does not exist",
    (raw) => (raw.staging.database.instanceClass = "db.r9z.mega"),
    "config error in staging: database.instanceClass must be an RDS instance class such as db.r6g.xlarge: did you mean db.r",
  ],
  [
    "a misspelt EC2 type",
    (raw) => (raw.staging.cluster.nodeGroups.general.instanceTypes = ["r7i.xlarge", "r6i.xlarg"]),
    'config error in staging: cluster.nodeGroups.general.instanceTypes.1 must be an EC2 instance type such as m7i.2xlarge: did you mean r6i.xlarge? (got "r6i.xlarg")',
  ],
  // Unknown keys say which known one was meant.
  [
    "a misspelt key",
    (raw) => ((raw.staging.aws.regoin = raw.staging.aws.region), delete raw.staging.aws.region),
    "config error in staging: aws.regoin is not a known field of aws: did you mean region?",
  ],
  [
    "a misspelt top-level key",
    (raw) => ((raw.staging.domian = raw.staging.domain), delete raw.staging.domain),
    "config error in staging: domian is not a known field: did you mean domain?",
  ],
  [
    "a misspelt key in a record entry",
    (raw) => (raw.staging.cluster.nodeGroups.general.instanceType = ["r7i.xlarge"]),
    "config error in staging: cluster.nodeGroups.general.instanceType is not a known field of cluster.nodeGroups.general: did you mean instanceTypes?",
  ],
  [
    "an unknown key with no near one",
    (raw) => (raw.staging.database.password = "x"),
    "config error in staging: database.password is not a known field of database (known: engineVersion, instanceClass,",
  ],
];
/** The committed account id of an environment (so the expected lines name whatever the sample has). */
function r0(env: string): string {
  return (fixtureInputs as Record<string, any>)[env].aws.accountId;
}

describe("one source for each fact", () => {
  it.each(oneSource)("rejects %s in one line", (_name, mutate, expected) => {
    const errors = errorsAfter(mutate);
    expect(
      errors.some((error) => error.startsWith(expected)),
      `expected a line starting with:\n  ${expected}\ngot:\n  ${errors.join("\n  ")}`,
    ).toBe(true);
    for (const error of errors) {
      expect(error).toMatch(/^config error in [a-z][a-z0-9-]*: \S/);
      expect(error).not.toContain("\n");
      expect(error).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });
});

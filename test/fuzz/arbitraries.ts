// Generators for the configuration fuzzer. A case is data (a list of mutations of the committed
// environments, or a fully random value) so that fast-check prints a readable counterexample.
import fc from "fast-check";
import { tiers } from "../../config";
import { fixtureInputs } from "../fixtures/environments";

type Path = (string | number)[];
export type Mutation =
  | { op: "set"; env: string; path: Path; value: unknown }
  | { op: "delete"; env: string; path: Path }
  | { op: "dropEnv"; env: string }
  | { op: "addEnv"; key: string; from: string; patch: Record<string, unknown> }
  | { op: "renameKey"; env: string; to: string };
export type FuzzCase = { mutations: Mutation[] } | { random: Record<string, unknown> };

const committed = fixtureInputs as Record<string, Record<string, any>>;
const envNames = Object.keys(committed);
const awsEnvs = envNames.filter((envName) => committed[envName]!.platform === "aws");
const localEnvs = envNames.filter((envName) => committed[envName]!.platform === "local");

// ---- applying a case --------------------------------------------------------------------------

/** The raw input a case stands for. Each environment is cloned on its own: dr shares objects with
 *  prod through spreads, and one structuredClone of the whole map would keep that sharing. */
export function applyCase(testCase: FuzzCase): Record<string, unknown> {
  if ("random" in testCase) return testCase.random;
  const raw: Record<string, unknown> = {};
  for (const [k, env] of Object.entries(committed)) define(raw, k, structuredClone(env));
  for (const mutation of testCase.mutations) apply(raw, mutation);
  return raw;
}

// Plain assignment of "__proto__" would change the prototype instead of adding a key.
function define(target: Record<PropertyKey, unknown>, k: PropertyKey, value: unknown): void {
  Object.defineProperty(target, k, { value, writable: true, enumerable: true, configurable: true });
}
const at = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>((node, k) => (isObj(node) ? node[k] : undefined), value);
const isObj = (value: unknown): value is Record<PropertyKey, unknown> => typeof value === "object" && value !== null;

function apply(raw: Record<string, unknown>, mutation: Mutation): void {
  switch (mutation.op) {
    case "dropEnv":
      delete raw[mutation.env];
      return;
    case "renameKey":
      if (!(mutation.env in raw)) return;
      define(raw, mutation.to, raw[mutation.env]);
      if (mutation.to !== mutation.env) delete raw[mutation.env];
      return;
    case "addEnv":
      if (isObj(raw[mutation.from]))
        define(raw, mutation.key, {
          ...structuredClone(raw[mutation.from] as object),
          ...structuredClone(mutation.patch),
        });
      return;
  }
  const root = raw[mutation.env];
  if (!isObj(root) || mutation.path.length === 0) return;
  let cur: Record<PropertyKey, unknown> = root;
  for (const k of mutation.path.slice(0, -1)) {
    if (!(k in cur) && mutation.op === "set") define(cur, k, {});
    const next = cur[k];
    if (!isObj(next)) return;
    cur = next;
  }
  const last = mutation.path[mutation.path.length - 1]!;
  if (mutation.op === "delete") delete cur[last];
  else define(cur, last, structuredClone(mutation.value));
}

// ---- paths of the committed configuration ----------------------------------------------------

type Paths = { all: Path[]; objects: Path[]; numbers: Path[]; strings: Path[]; booleans: Path[] };
function pathsOf(
  value: unknown,
  prefix: Path = [],
  out: Paths = { all: [], objects: [[]], numbers: [], strings: [], booleans: [] },
): Paths {
  if (!isObj(value)) return out;
  for (const [k, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(k) : k];
    out.all.push(path);
    if (typeof child === "number") out.numbers.push(path);
    else if (typeof child === "string") out.strings.push(path);
    else if (typeof child === "boolean") out.booleans.push(path);
    else if (isObj(child) && !Array.isArray(child)) out.objects.push(path);
    pathsOf(child, path, out);
  }
  return out;
}
const paths = Object.fromEntries(envNames.map((envName) => [envName, pathsOf(committed[envName])])) as Record<
  string,
  Paths
>;

// ---- value generators -------------------------------------------------------------------------

const awsRegions = [
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "eu-west-1",
  "eu-central-1",
  "ap-southeast-2",
  "us-gov-west-1",
];
const instanceTypes = ["m7i.2xlarge", "m6i.2xlarge", "m7i.xlarge", "c7g.4xlarge", "r6i.large", "t3.medium"];
const retentions = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const enumPool = [
  "aws",
  "local",
  "gcp",
  "development",
  "staging",
  "production",
  "standby",
  "qa",
  "per-az",
  "single",
  "ON_DEMAND",
  "SPOT",
  "GOVERNANCE",
  "COMPLIANCE",
  "s3",
  "1.35",
  "1.27",
  "master",
  "data",
  "ingest",
];

/** Mostly in range, now and then just outside it or not an integer. */
const int = (min: number, max: number) =>
  fc.oneof(
    { arbitrary: fc.integer({ min, max }), weight: 12 },
    { arbitrary: fc.constantFrom(min - 1, max + 1, min + 0.5, -1), weight: 1 },
  );
/** Terraform template syntax: user text must never reach the JSON unescaped (checked after synthesis). */
export const templates = ["${var.fuzz}", "%{ if fuzz }x%{ endif }"];
const text = (max: number) =>
  fc.oneof(
    { arbitrary: fc.string({ minLength: 1, maxLength: max }), weight: 4 },
    { arbitrary: fc.constantFrom(...templates), weight: 1 },
  );
const awsTag = fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{1,30}$/);
const octet = fc.integer({ min: 0, max: 255 });
const validCidr = fc.oneof(
  octet.map((secondOctet) => `10.${secondOctet}.0.0/16`),
  fc
    .tuple(fc.integer({ min: 16, max: 31 }), fc.integer({ min: 0, max: 15 }))
    .map(([secondOctet, block]) => `172.${secondOctet}.${block * 16}.0/20`),
);
const publicCidr = fc
  .tuple(octet, octet, fc.integer({ min: 8, max: 32 }))
  .map(([first, second, prefix]) => `${first}.${second}.0.0/${prefix}`);
const anyCidr = fc
  .tuple(fc.integer({ min: 0, max: 300 }), octet, octet, octet, fc.integer({ min: 0, max: 40 }))
  .map(([first, second, third, fourth, prefix]) => `${first}.${second}.${third}.${fourth}/${prefix}`);
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([hour, minute]) => `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`);
const day = fc.constantFrom("mon", "tue", "wed", "thu", "fri", "sat", "sun");
const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const regionLike = fc
  .tuple(
    fc.constantFrom("us", "eu", "ap", "xx", "US", "eu-gov"),
    fc.constantFrom("east", "west", "central", "", "-"),
    fc.integer({ min: 0, max: 12 }),
  )
  .map(([area, direction, ordinal]) => `${area}-${direction}-${ordinal}`);
const instanceLike = fc
  .tuple(fc.constantFrom("m7i", "db.r6g", "M7I", "t3", "x", ""), fc.constantFrom("large", "2xlarge", "", ".big"))
  .map(([family, size]) => `${family}.${size}`);
const stringish = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom("", " ", "latest", "0.0.0.0/0", ...templates),
  regionLike,
  anyCidr,
  instanceLike,
  fc.stringMatching(/^[a-z][a-z0-9-]{0,14}(\.[a-z]{2,5})?$/),
);
/** Values of the wrong type (or of no JSON type at all) for any field. */
const wrongValue = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, [], {}, ""),
  fc.jsonValue({ maxDepth: 2 }),
  fc.anything({
    maxDepth: 2,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withSparseArray: true,
    withBoxedValues: true,
  }),
);
const envKey = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      ...envNames,
      "qa",
      "dr2",
      "__proto__",
      "constructor",
      "toString",
      "",
      "Prod",
      "a b",
      "x".repeat(20),
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ maxLength: 14 }), weight: 1 },
);

// ---- mutations that mostly keep the configuration valid --------------------------------------

const set = (env: string, path: Path, value: unknown): Mutation => ({ op: "set", env, path, value });
const workloads = "workloads";
/** One in-range change: [environments, path, value]. */
const scalarTweaks: [string[], Path, fc.Arbitrary<unknown>][] = [
  [envNames, [workloads, "airbyte", "serverReplicas"], int(1, 10)],
  [envNames, [workloads, "airbyte", "webappReplicas"], int(1, 10)],
  [envNames, [workloads, "superset", "webReplicas"], int(2, 20)],
  [envNames, [workloads, "superset", "workerReplicas"], int(1, 50)],
  [envNames, [workloads, "observability", "prometheus", "replicas"], int(1, 3)],
  [envNames, [workloads, "observability", "prometheus", "retentionDays"], int(1, 365)],
  [envNames, [workloads, "observability", "prometheus", "storageGiB"], int(5, 2000)],
  [envNames, [workloads, "observability", "alertmanagerReplicas"], int(1, 5)],
  [envNames, [workloads, "observability", "logRetentionDays"], int(1, 3650)],
  [
    envNames,
    [workloads, "dremio", "coordinator", "cpu"],
    fc.oneof(int(1, 16), fc.double({ min: 0.1, max: 16, noNaN: true })),
  ],
  [envNames, [workloads, "dremio", "coordinator", "storageGiB"], int(10, 2000)],
  [envNames, [workloads, "dremio", "executors", "storageGiB"], int(10, 2000)],
  [envNames, [workloads, "dremio", "zookeeper", "replicas"], fc.constantFrom(1, 3, 5, 3, 5, 2)],
  [envNames, [workloads, "dremio", "zookeeper", "storageGiB"], int(1, 100)],
  [envNames, ["tags", "owner"], fc.oneof({ arbitrary: awsTag, weight: 3 }, text(30))],
  [envNames, ["tags", "costCentre"], fc.oneof({ arbitrary: awsTag, weight: 3 }, text(30))],
  [awsEnvs, ["database", "backupRetentionDays"], int(7, 35)],
  [
    awsEnvs,
    ["database", "instanceClass"],
    fc.constantFrom("db.r6g.large", "db.r7g.2xlarge", "db.m7g.xlarge", "db.t4g.medium"),
  ],
  [awsEnvs, ["database", "engineVersion"], fc.constantFrom("16.4", "16.9", "17.2", "17.6")],
  [awsEnvs, ["database", "performanceInsightsRetentionDays"], fc.constantFrom(7, 731)],
  [awsEnvs, ["database", "monitoringIntervalSeconds"], fc.constantFrom(1, 5, 10, 15, 30, 60)],
  [awsEnvs, ["database", "tuning", "workMemMiB"], int(1, 2047)],
  [awsEnvs, ["database", "tuning", "maxConnections"], int(10, 10000)],
  [
    awsEnvs,
    ["database", "backupWindow"],
    fc.tuple(hhmm, hhmm).map(([startTime, endTime]) => `${startTime}-${endTime}`),
  ],
  [
    awsEnvs,
    ["database", "maintenanceWindow"],
    fc
      .tuple(day, hhmm, day, hhmm)
      .map(([startDay, startTime, endDay, endTime]) => `${startDay}:${startTime}-${endDay}:${endTime}`),
  ],
  [awsEnvs, ["network", "azCount"], int(3, 6)],
  [awsEnvs, ["network", "flowLogRetentionDays"], fc.constantFrom(...retentions)],
  [awsEnvs, ["network", "cidr"], validCidr],
  [awsEnvs, ["cluster", "logRetentionDays"], fc.constantFrom(...retentions)],
  [awsEnvs, ["cluster", "publicAccessCidrs"], fc.array(publicCidr, { maxLength: 3 })],
  [
    awsEnvs,
    ["cluster", "nodeGroups", "general", "instanceTypes"],
    fc.uniqueArray(fc.constantFrom(...instanceTypes), { minLength: 1, maxLength: 3 }),
  ],
  [awsEnvs, ["cluster", "nodeGroups", "general", "capacityType"], fc.constantFrom("ON_DEMAND", "SPOT")],
  [awsEnvs, ["cluster", "nodeGroups", "general", "diskGiB"], int(20, 2000)],
  [
    awsEnvs,
    ["cluster", "nodeGroups", "general", "labels"],
    fc.dictionary(label, fc.oneof(label, text(8)), { maxKeys: 3 }),
  ],
  [awsEnvs, ["lake", "noncurrentVersionExpiryDays"], int(1, 3650)],
  [awsEnvs, ["lake", "zones", "bronze", "glacierAfterDays"], int(30, 3650)],
  [awsEnvs, ["domain"], label.map((subdomain) => `${subdomain}.fixture.example`)],
  [["staging"], ["aws", "region"], fc.constantFrom(...awsRegions)],
  [["staging"], ["database", "multiAz"], fc.boolean()],
  [["staging"], ["network", "natGateways"], fc.constantFrom("per-az", "single")],
  [["staging"], ["tier"], fc.constantFrom("development", "staging")],
  [["dr"], ["aws", "region"], fc.constantFrom(...awsRegions.filter((region) => region !== "us-east-1"))],
  [["dr"], ["failover"], fc.boolean()],
  [localEnvs, ["postgres", "instances"], int(1, 9)],
  [localEnvs, ["postgres", "storageGiB"], int(1, 500)],
  [localEnvs, ["postgres", "pooler"], fc.boolean()],
  [localEnvs, ["minio", "servers"], fc.constantFrom(1, 2, 4, 8)],
  [localEnvs, ["minio", "volumesPerServer"], fc.constantFrom(1, 2, 4)],
  [localEnvs, ["cluster", "context"], text(20)],
  [localEnvs, ["cluster", "storageProvisioner"], text(20)],
  [localEnvs, ["backend", "directory"], text(20)],
  [awsEnvs, ["backend", "keyPrefix"], fc.stringMatching(/^[a-zA-Z0-9!_.*'()/-]{1,30}$/)],
  [localEnvs, ["domain"], fc.tuple(label, label).map(([subdomain, domain]) => `${subdomain}.${domain}.test`)],
];

const sorted = (count: number, min: number, max: number) =>
  fc
    .array(fc.integer({ min, max }), { minLength: count, maxLength: count })
    .map((values) => values.sort((left, right) => left - right));
const minFor = (env: string, prodMin: number, otherMin: number) =>
  committed[env]!.tier === "production" ? prodMin : otherMin;

/** Changes of several related fields at once that keep (or, now and then, break) their rule. */
const groupTweaks: fc.Arbitrary<Mutation[]>[] = [
  fc
    .tuple(fc.constantFrom(...awsEnvs), sorted(3, 0, 30))
    .map(([env, [minSize, desiredSize, maxSize]]) => [
      set(env, ["cluster", "nodeGroups", "general", "minSize"], minSize),
      set(env, ["cluster", "nodeGroups", "general", "desiredSize"], desiredSize),
      set(env, ["cluster", "nodeGroups", "general", "maxSize"], Math.max(1, maxSize!)),
    ]),
  fc
    .constantFrom(...envNames)
    .chain((env) =>
      sorted(2, minFor(env, 3, 1), 12).map(([count, maxCount]) => [
        set(env, [workloads, "dremio", "executors", "count"], count),
        set(env, [workloads, "dremio", "executors", "maxCount"], maxCount),
      ]),
    ),
  fc
    .constantFrom(...envNames)
    .chain((env) =>
      sorted(2, minFor(env, 2, 1), 40).map(([minWorkers, maxWorkers]) => [
        set(env, [workloads, "airbyte", "workers", "min"], minWorkers),
        set(env, [workloads, "airbyte", "workers", "max"], maxWorkers),
      ]),
    ),
  // The JVM needs room beside the heap: exercise the boundary, not only the committed sizes.
  fc
    .tuple(fc.constantFrom(...envNames), fc.integer({ min: 4, max: 64 }), fc.integer({ min: 2, max: 63 }))
    .map(([env, mem, heap]) => [
      set(env, [workloads, "dremio", "coordinator", "memoryGiB"], mem),
      set(env, [workloads, "dremio", "coordinator", "heapGiB"], Math.min(heap, 256)),
    ]),
  fc
    .tuple(fc.constantFrom(...envNames), sorted(3, 4, 64), fc.integer({ min: 1, max: 4 }))
    .map(([env, [req, heap, lim], minDiv]) => [
      set(env, [workloads, "dremio", "executors", "requests", "memoryGiB"], req),
      set(env, [workloads, "dremio", "executors", "heapMaxGiB"], heap),
      set(env, [workloads, "dremio", "executors", "heapMinGiB"], Math.max(1, Math.floor(heap! / minDiv))),
      set(env, [workloads, "dremio", "executors", "limits", "memoryGiB"], lim),
    ]),
  fc
    .tuple(fc.constantFrom(...awsEnvs), sorted(2, 20, 5000))
    .map(([env, [allocated, maxAllocated]]) => [
      set(env, ["database", "allocatedStorageGiB"], allocated),
      set(env, ["database", "maxAllocatedStorageGiB"], maxAllocated),
    ]),
  fc.tuple(fc.constantFrom(...envNames), fc.boolean()).chain(([env, drop]) =>
    drop
      ? fc.constant([{ op: "delete", env, path: [workloads, "dbt"] } as Mutation])
      : fc
          .record({
            schedule: fc
              .tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 23 }))
              .map(([minute, hour]) => `${minute} ${hour} * * *`),
            image: fc.constantFrom(
              "registry.fixture.example/analytics/dbt-project:1.2.0",
              "ghcr.io/acme/dbt@sha256:" + "a".repeat(64),
            ),
            target: fc.oneof(
              { arbitrary: fc.stringMatching(/^[a-z][a-z0-9_-]{0,9}$/), weight: 4 },
              { arbitrary: text(8), weight: 1 },
            ),
            threads: int(1, 64),
          })
          .map((dbt) => [set(env, [workloads, "dbt"], dbt)]),
  ),
  // Elasticsearch: one combined node set, or masters plus data nodes.
  fc
    .tuple(
      fc.constantFrom(...envNames),
      fc.constantFrom(1, 3, 5),
      fc.integer({ min: 1, max: 6 }),
      fc.boolean(),
      int(1, 500),
    )
    .map(([env, masters, data, split, storage]) => {
      const node = (count: number, roles: string[]) => ({ count, roles, storageGiB: storage, memoryGiB: 4 });
      const sets = split
        ? { masters: node(masters, ["master"]), data: node(Math.max(data, 3), ["data", "ingest"]) }
        : { all: node(masters, ["master", "data", "ingest"]) };
      return [set(env, [workloads, "elasticsearch", "nodeSets"], sets)];
    }),
  // A second node group.
  fc
    .tuple(fc.constantFrom(...awsEnvs), fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), sorted(3, 0, 10))
    .map(([env, name, [minSize, desiredSize, maxSize]]) => [
      set(env, ["cluster", "nodeGroups", name], {
        instanceTypes: ["r6i.large"],
        capacityType: "SPOT",
        minSize,
        desiredSize,
        maxSize: Math.max(1, maxSize!),
        diskGiB: 50,
        labels: { role: name },
      }),
    ]),
  // Object lock on a zone of prod and its standby together, or on one of them (mismatch).
  fc
    .tuple(
      fc.constantFrom("bronze", "silver"),
      fc.constantFrom("GOVERNANCE", "COMPLIANCE"),
      int(1, 3650),
      fc.subarray(["prod", "dr"], { minLength: 1 }),
    )
    .map(([zone, mode, days, envs]) =>
      envs.map((env) => set(env, ["lake", "zones", zone, "objectLock"], { mode, days })),
    ),
  fc
    .tuple(
      fc.constantFrom(...envNames),
      fc.stringMatching(/^[A-Z]{2,4}-\d{3}$/),
      fc.stringMatching(/^[a-z_]{3,12}\.[a-z_]{1,10}$/),
      fc.string({ minLength: 5, maxLength: 40 }),
    )
    .map(([env, rule, address, reason]) => [set(env, ["policy"], { waivers: [{ rule, address, reason }] })]),
  // Environment sets: drop one (dr without prod is an error), add another primary or standby.
  fc.constantFrom(...envNames).map((env): Mutation[] => [{ op: "dropEnv", env }]),
  fc
    .constantFrom("staging", "dev")
    .map((from): Mutation[] => [{ op: "addEnv", key: "qa", from, patch: { name: "qa" } }]),
  fc
    .tuple(fc.constantFrom(...awsRegions.filter((region) => region !== "us-east-1")), fc.integer({ min: 40, max: 250 }))
    .map(([region, secondOctet]): Mutation[] => [
      {
        op: "addEnv",
        key: "dr2",
        from: "dr",
        patch: {
          name: "dr2",
          aws: { accountId: "111122223333", region },
          network: { cidr: `10.${secondOctet}.0.0/16`, azCount: 2, natGateways: "single", flowLogRetentionDays: 30 },
        },
      },
    ]),
];

const scalarTweak = fc
  .constantFrom(...scalarTweaks)
  .chain(([envs, path, value]) =>
    fc.tuple(fc.constantFrom(...envs), value).map(([env, sample]) => [set(env, path, sample)]),
  );
/** A mostly valid change: one or two related mutations. */
export const tweak: fc.Arbitrary<Mutation[]> = fc.oneof(
  { arbitrary: scalarTweak, weight: 3 },
  { arbitrary: fc.oneof(...groupTweaks), weight: 2 },
);

// ---- mutations that mostly break the configuration -------------------------------------------

const onPath = (pick: (p: Paths) => Path[], value: fc.Arbitrary<unknown>) =>
  fc
    .constantFrom(...envNames)
    .chain((env) =>
      fc.tuple(fc.constantFrom(...pick(paths[env]!)), value).map(([path, sample]) => set(env, path, sample)),
    );

export const breakage: fc.Arbitrary<Mutation[]> = fc
  .oneof(
    onPath((envPaths) => envPaths.all, wrongValue),
    onPath(
      (envPaths) => envPaths.numbers,
      fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.double(), fc.constantFrom(0, -1, 1e9, 0.5)),
    ),
    onPath((envPaths) => envPaths.strings, stringish),
    onPath((envPaths) => envPaths.strings, fc.constantFrom(...enumPool)),
    fc
      .constantFrom(...envNames)
      .chain((env) =>
        fc.constantFrom(...paths[env]!.booleans).map((path) => set(env, path, !at(committed[env], path))),
      ),
    fc
      .constantFrom(...envNames)
      .chain((env) => fc.constantFrom(...paths[env]!.all).map((path): Mutation => ({ op: "delete", env, path }))),
    // Unknown keys anywhere, including names of fields that belong to the other platform.
    fc
      .constantFrom(...envNames)
      .chain((env) =>
        fc
          .tuple(
            fc.constantFrom(...paths[env]!.objects),
            fc.oneof(
              fc.string({ maxLength: 10 }),
              fc.constantFrom("aws", "minio", "standbyOf", "failover", "dbt", "password", "__proto__"),
            ),
            fc.jsonValue({ maxDepth: 1 }),
          )
          .map(([path, k, sample]) => set(env, [...path, k], sample)),
      ),
    fc
      .constantFrom(...envNames)
      .map((env) => set(env, ["platform"], committed[env]!.platform === "aws" ? "local" : "aws")),
    fc
      .constantFrom(...envNames)
      .chain((env) =>
        fc
          .constantFrom(...tiers.filter((tier) => tier !== committed[env]!.tier))
          .map((tier) => set(env, ["tier"], tier)),
      ),
    onPath(() => [["standbyOf"]], fc.oneof(fc.constantFrom(...envNames, "nope", ""), envKey)),
    onPath(() => [["failover"]], fc.oneof(fc.boolean(), wrongValue)),
    onPath(() => [["name"]], fc.oneof(fc.constantFrom(...envNames), envKey)),
    fc.constantFrom<Mutation>(
      set("dr", ["aws", "region"], "us-east-1"),
      set("dr", ["network", "cidr"], "10.20.128.0/17"),
      set("dr", ["aws", "accountId"], "210987654321"),
    ),
    // Node group sizes out of order (the committed ones stay within 0-10) or out of range.
    fc
      .tuple(
        fc.constantFrom(...awsEnvs),
        fc.constantFrom("minSize", "desiredSize"),
        fc.oneof(fc.integer({ min: 11, max: 450 }), fc.constantFrom(-1, 451, 2.5)),
      )
      .map(([env, field, size]) => set(env, ["cluster", "nodeGroups", "general", field], size)),
    fc
      .tuple(fc.constantFrom(...awsEnvs), fc.constantFrom(-1, 0, 1, 451))
      .map(([env, size]) => set(env, ["cluster", "nodeGroups", "general", "maxSize"], size)),
    fc.tuple(fc.constantFrom(...envNames), envKey).map(([env, to]): Mutation => ({ op: "renameKey", env, to })),
    fc
      .tuple(
        envKey,
        fc.constantFrom(...envNames),
        fc.dictionary(
          fc.constantFrom("name", "tier", "platform", "standbyOf", "domain"),
          fc.oneof(envKey, fc.jsonValue({ maxDepth: 1 })),
          { maxKeys: 2 },
        ),
      )
      .map(([key, from, patch]): Mutation => ({ op: "addEnv", key, from, patch })),
    fc
      .tuple(fc.constantFrom(...envNames), wrongValue)
      .map(([env, sample]): Mutation => ({ op: "addEnv", key: env, from: env, patch: { workloads: sample } })),
  )
  .map((mutation) => [mutation]);

// ---- fully random input ------------------------------------------------------------------------

const topKeys = [...new Set(envNames.flatMap((envName) => Object.keys(committed[envName]!)))];
/** Objects with real field names and random values, and values of any shape at all. */
export const randomInput: fc.Arbitrary<FuzzCase> = fc
  .dictionary(
    envKey,
    fc.oneof(
      fc
        .tuple(
          fc.constantFrom("aws", "local"),
          fc.dictionary(fc.constantFrom(...topKeys), fc.jsonValue({ maxDepth: 3 })),
        )
        .map(([platform, fields]) => ({ platform, ...fields })),
      fc.jsonValue({ maxDepth: 3 }),
      wrongValue,
    ),
    { minKeys: 1, maxKeys: 4 },
  )
  .map((random) => ({ random }));

/**
 * A case: one or two mostly valid tweaks (`validWeight` sets how many configurations synthesize),
 * a breakage with up to two other mutations, or fully random input.
 */
export function fuzzCase(validWeight: number): fc.Arbitrary<FuzzCase> {
  const tweaks = fc.array(tweak, { minLength: 1, maxLength: 2 }).map((ms) => ({ mutations: ms.flat() }));
  // Two breakages and maybe a tweak make a valid result rare: one breakage alone is a no-op or
  // a harmless string now and then, and every valid result costs a synthesis.
  const broken = fc.oneof(
    { arbitrary: breakage.map((mutations) => ({ mutations })), weight: 1 },
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.array(tweak, { maxLength: 1 }), breakage, breakage)
        .map(([ts, firstBreakage, secondBreakage]) => ({
          mutations: [...ts.flat(), ...firstBreakage, ...secondBreakage],
        })),
    },
  );
  return fc.oneof(
    { arbitrary: tweaks, weight: validWeight },
    { arbitrary: broken, weight: 40 },
    { arbitrary: randomInput, weight: 8 },
  );
}

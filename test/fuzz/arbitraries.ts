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
const awsEnvs = envNames.filter((n) => committed[n]!.platform === "aws");
const localEnvs = envNames.filter((n) => committed[n]!.platform === "local");

// ---- applying a case --------------------------------------------------------------------------

/** The raw input a case stands for. Each environment is cloned on its own: dr shares objects with
 *  prod through spreads, and one structuredClone of the whole map would keep that sharing. */
export function applyCase(c: FuzzCase): Record<string, unknown> {
  if ("random" in c) return c.random;
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(committed)) define(raw, k, structuredClone(v));
  for (const m of c.mutations) apply(raw, m);
  return raw;
}

// Plain assignment of "__proto__" would change the prototype instead of adding a key.
function define(o: Record<PropertyKey, unknown>, k: PropertyKey, value: unknown): void {
  Object.defineProperty(o, k, { value, writable: true, enumerable: true, configurable: true });
}
const at = (v: unknown, path: Path): unknown => path.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);
const isObj = (v: unknown): v is Record<PropertyKey, unknown> => typeof v === "object" && v !== null;

function apply(raw: Record<string, unknown>, m: Mutation): void {
  switch (m.op) {
    case "dropEnv":
      delete raw[m.env];
      return;
    case "renameKey":
      if (!(m.env in raw)) return;
      define(raw, m.to, raw[m.env]);
      if (m.to !== m.env) delete raw[m.env];
      return;
    case "addEnv":
      if (isObj(raw[m.from]))
        define(raw, m.key, { ...structuredClone(raw[m.from] as object), ...structuredClone(m.patch) });
      return;
  }
  const root = raw[m.env];
  if (!isObj(root) || m.path.length === 0) return;
  let cur: Record<PropertyKey, unknown> = root;
  for (const k of m.path.slice(0, -1)) {
    if (!(k in cur) && m.op === "set") define(cur, k, {});
    const next = cur[k];
    if (!isObj(next)) return;
    cur = next;
  }
  const last = m.path[m.path.length - 1]!;
  if (m.op === "delete") delete cur[last];
  else define(cur, last, structuredClone(m.value));
}

// ---- paths of the committed configuration ----------------------------------------------------

type Paths = { all: Path[]; objects: Path[]; numbers: Path[]; strings: Path[]; booleans: Path[] };
function pathsOf(
  v: unknown,
  prefix: Path = [],
  out: Paths = { all: [], objects: [[]], numbers: [], strings: [], booleans: [] },
): Paths {
  if (!isObj(v)) return out;
  for (const [k, child] of Object.entries(v)) {
    const p = [...prefix, Array.isArray(v) ? Number(k) : k];
    out.all.push(p);
    if (typeof child === "number") out.numbers.push(p);
    else if (typeof child === "string") out.strings.push(p);
    else if (typeof child === "boolean") out.booleans.push(p);
    else if (isObj(child) && !Array.isArray(child)) out.objects.push(p);
    pathsOf(child, p, out);
  }
  return out;
}
const paths = Object.fromEntries(envNames.map((n) => [n, pathsOf(committed[n])])) as Record<string, Paths>;

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
  octet.map((o) => `10.${o}.0.0/16`),
  fc
    .tuple(fc.integer({ min: 16, max: 31 }), fc.integer({ min: 0, max: 15 }))
    .map(([b, c]) => `172.${b}.${c * 16}.0/20`),
);
const publicCidr = fc.tuple(octet, octet, fc.integer({ min: 8, max: 32 })).map(([a, b, p]) => `${a}.${b}.0.0/${p}`);
const anyCidr = fc
  .tuple(fc.integer({ min: 0, max: 300 }), octet, octet, octet, fc.integer({ min: 0, max: 40 }))
  .map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`);
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const day = fc.constantFrom("mon", "tue", "wed", "thu", "fri", "sat", "sun");
const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const regionLike = fc
  .tuple(
    fc.constantFrom("us", "eu", "ap", "xx", "US", "eu-gov"),
    fc.constantFrom("east", "west", "central", "", "-"),
    fc.integer({ min: 0, max: 12 }),
  )
  .map(([a, b, n]) => `${a}-${b}-${n}`);
const instanceLike = fc
  .tuple(fc.constantFrom("m7i", "db.r6g", "M7I", "t3", "x", ""), fc.constantFrom("large", "2xlarge", "", ".big"))
  .map(([f, s]) => `${f}.${s}`);
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
const W = "workloads";
/** One in-range change: [environments, path, value]. */
const scalarTweaks: [string[], Path, fc.Arbitrary<unknown>][] = [
  [envNames, [W, "airbyte", "serverReplicas"], int(1, 10)],
  [envNames, [W, "airbyte", "webappReplicas"], int(1, 10)],
  [envNames, [W, "superset", "webReplicas"], int(2, 20)],
  [envNames, [W, "superset", "workerReplicas"], int(1, 50)],
  [envNames, [W, "observability", "prometheus", "replicas"], int(1, 3)],
  [envNames, [W, "observability", "prometheus", "retentionDays"], int(1, 365)],
  [envNames, [W, "observability", "prometheus", "storageGiB"], int(5, 2000)],
  [envNames, [W, "observability", "alertmanagerReplicas"], int(1, 5)],
  [envNames, [W, "observability", "logRetentionDays"], int(1, 3650)],
  [envNames, [W, "dremio", "coordinator", "cpu"], fc.oneof(int(1, 16), fc.double({ min: 0.1, max: 16, noNaN: true }))],
  [envNames, [W, "dremio", "coordinator", "storageGiB"], int(10, 2000)],
  [envNames, [W, "dremio", "executors", "storageGiB"], int(10, 2000)],
  [envNames, [W, "dremio", "zookeeper", "replicas"], fc.constantFrom(1, 3, 5, 3, 5, 2)],
  [envNames, [W, "dremio", "zookeeper", "storageGiB"], int(1, 100)],
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
  [awsEnvs, ["database", "backupWindow"], fc.tuple(hhmm, hhmm).map(([a, b]) => `${a}-${b}`)],
  [
    awsEnvs,
    ["database", "maintenanceWindow"],
    fc.tuple(day, hhmm, day, hhmm).map(([d, a, e, b]) => `${d}:${a}-${e}:${b}`),
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
  [awsEnvs, ["domain"], label.map((l) => `${l}.fixture.example`)],
  [["staging"], ["aws", "region"], fc.constantFrom(...awsRegions)],
  [["staging"], ["database", "multiAz"], fc.boolean()],
  [["staging"], ["network", "natGateways"], fc.constantFrom("per-az", "single")],
  [["staging"], ["tier"], fc.constantFrom("development", "staging")],
  [["dr"], ["aws", "region"], fc.constantFrom(...awsRegions.filter((r) => r !== "us-east-1"))],
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
  [localEnvs, ["domain"], fc.tuple(label, label).map(([a, b]) => `${a}.${b}.test`)],
];

const sorted = (n: number, min: number, max: number) =>
  fc.array(fc.integer({ min, max }), { minLength: n, maxLength: n }).map((a) => a.sort((x, y) => x - y));
const minFor = (env: string, prodMin: number, otherMin: number) =>
  committed[env]!.tier === "production" ? prodMin : otherMin;

/** Changes of several related fields at once that keep (or, now and then, break) their rule. */
const groupTweaks: fc.Arbitrary<Mutation[]>[] = [
  fc
    .tuple(fc.constantFrom(...awsEnvs), sorted(3, 0, 30))
    .map(([e, [a, b, c]]) => [
      set(e, ["cluster", "nodeGroups", "general", "minSize"], a),
      set(e, ["cluster", "nodeGroups", "general", "desiredSize"], b),
      set(e, ["cluster", "nodeGroups", "general", "maxSize"], Math.max(1, c!)),
    ]),
  fc
    .constantFrom(...envNames)
    .chain((e) =>
      sorted(2, minFor(e, 3, 1), 12).map(([a, b]) => [
        set(e, [W, "dremio", "executors", "count"], a),
        set(e, [W, "dremio", "executors", "maxCount"], b),
      ]),
    ),
  fc
    .constantFrom(...envNames)
    .chain((e) =>
      sorted(2, minFor(e, 2, 1), 40).map(([a, b]) => [
        set(e, [W, "airbyte", "workers", "min"], a),
        set(e, [W, "airbyte", "workers", "max"], b),
      ]),
    ),
  // The JVM needs room beside the heap: exercise the boundary, not only the committed sizes.
  fc
    .tuple(fc.constantFrom(...envNames), fc.integer({ min: 4, max: 64 }), fc.integer({ min: 2, max: 63 }))
    .map(([e, mem, heap]) => [
      set(e, [W, "dremio", "coordinator", "memoryGiB"], mem),
      set(e, [W, "dremio", "coordinator", "heapGiB"], Math.min(heap, 256)),
    ]),
  fc
    .tuple(fc.constantFrom(...envNames), sorted(3, 4, 64), fc.integer({ min: 1, max: 4 }))
    .map(([e, [req, heap, lim], minDiv]) => [
      set(e, [W, "dremio", "executors", "requests", "memoryGiB"], req),
      set(e, [W, "dremio", "executors", "heapMaxGiB"], heap),
      set(e, [W, "dremio", "executors", "heapMinGiB"], Math.max(1, Math.floor(heap! / minDiv))),
      set(e, [W, "dremio", "executors", "limits", "memoryGiB"], lim),
    ]),
  fc
    .tuple(fc.constantFrom(...awsEnvs), sorted(2, 20, 5000))
    .map(([e, [a, b]]) => [
      set(e, ["database", "allocatedStorageGiB"], a),
      set(e, ["database", "maxAllocatedStorageGiB"], b),
    ]),
  fc.tuple(fc.constantFrom(...envNames), fc.boolean()).chain(([e, drop]) =>
    drop
      ? fc.constant([{ op: "delete", env: e, path: [W, "dbt"] } as Mutation])
      : fc
          .record({
            schedule: fc
              .tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 23 }))
              .map(([m, h]) => `${m} ${h} * * *`),
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
          .map((dbt) => [set(e, [W, "dbt"], dbt)]),
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
    .map(([e, masters, data, split, storage]) => {
      const node = (count: number, roles: string[]) => ({ count, roles, storageGiB: storage, memoryGiB: 4 });
      const sets = split
        ? { masters: node(masters, ["master"]), data: node(Math.max(data, 3), ["data", "ingest"]) }
        : { all: node(masters, ["master", "data", "ingest"]) };
      return [set(e, [W, "elasticsearch", "nodeSets"], sets)];
    }),
  // A second node group.
  fc
    .tuple(fc.constantFrom(...awsEnvs), fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), sorted(3, 0, 10))
    .map(([e, name, [a, b, c]]) => [
      set(e, ["cluster", "nodeGroups", name], {
        instanceTypes: ["r6i.large"],
        capacityType: "SPOT",
        minSize: a,
        desiredSize: b,
        maxSize: Math.max(1, c!),
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
    .map(([z, mode, days, envs]) => envs.map((e) => set(e, ["lake", "zones", z, "objectLock"], { mode, days }))),
  fc
    .tuple(
      fc.constantFrom(...envNames),
      fc.stringMatching(/^[A-Z]{2,4}-\d{3}$/),
      fc.stringMatching(/^[a-z_]{3,12}\.[a-z_]{1,10}$/),
      fc.string({ minLength: 5, maxLength: 40 }),
    )
    .map(([e, rule, address, reason]) => [set(e, ["policy"], { waivers: [{ rule, address, reason }] })]),
  // Environment sets: drop one (dr without prod is an error), add another primary or standby.
  fc.constantFrom(...envNames).map((e): Mutation[] => [{ op: "dropEnv", env: e }]),
  fc
    .constantFrom("staging", "dev")
    .map((from): Mutation[] => [{ op: "addEnv", key: "qa", from, patch: { name: "qa" } }]),
  fc
    .tuple(fc.constantFrom(...awsRegions.filter((r) => r !== "us-east-1")), fc.integer({ min: 40, max: 250 }))
    .map(([region, o]): Mutation[] => [
      {
        op: "addEnv",
        key: "dr2",
        from: "dr",
        patch: {
          name: "dr2",
          aws: { accountId: "111122223333", region },
          network: { cidr: `10.${o}.0.0/16`, azCount: 2, natGateways: "single", flowLogRetentionDays: 30 },
        },
      },
    ]),
];

const scalarTweak = fc
  .constantFrom(...scalarTweaks)
  .chain(([envs, path, value]) => fc.tuple(fc.constantFrom(...envs), value).map(([e, v]) => [set(e, path, v)]));
/** A mostly valid change: one or two related mutations. */
export const tweak: fc.Arbitrary<Mutation[]> = fc.oneof(
  { arbitrary: scalarTweak, weight: 3 },
  { arbitrary: fc.oneof(...groupTweaks), weight: 2 },
);

// ---- mutations that mostly break the configuration -------------------------------------------

const onPath = (pick: (p: Paths) => Path[], value: fc.Arbitrary<unknown>) =>
  fc
    .constantFrom(...envNames)
    .chain((e) => fc.tuple(fc.constantFrom(...pick(paths[e]!)), value).map(([path, v]) => set(e, path, v)));

export const breakage: fc.Arbitrary<Mutation[]> = fc
  .oneof(
    onPath((p) => p.all, wrongValue),
    onPath(
      (p) => p.numbers,
      fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.double(), fc.constantFrom(0, -1, 1e9, 0.5)),
    ),
    onPath((p) => p.strings, stringish),
    onPath((p) => p.strings, fc.constantFrom(...enumPool)),
    fc
      .constantFrom(...envNames)
      .chain((e) => fc.constantFrom(...paths[e]!.booleans).map((path) => set(e, path, !at(committed[e], path)))),
    fc
      .constantFrom(...envNames)
      .chain((e) => fc.constantFrom(...paths[e]!.all).map((path): Mutation => ({ op: "delete", env: e, path }))),
    // Unknown keys anywhere, including names of fields that belong to the other platform.
    fc
      .constantFrom(...envNames)
      .chain((e) =>
        fc
          .tuple(
            fc.constantFrom(...paths[e]!.objects),
            fc.oneof(
              fc.string({ maxLength: 10 }),
              fc.constantFrom("aws", "minio", "standbyOf", "failover", "dbt", "password", "__proto__"),
            ),
            fc.jsonValue({ maxDepth: 1 }),
          )
          .map(([path, k, v]) => set(e, [...path, k], v)),
      ),
    fc.constantFrom(...envNames).map((e) => set(e, ["platform"], committed[e]!.platform === "aws" ? "local" : "aws")),
    fc
      .constantFrom(...envNames)
      .chain((e) => fc.constantFrom(...tiers.filter((t) => t !== committed[e]!.tier)).map((t) => set(e, ["tier"], t))),
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
      .map(([e, f, n]) => set(e, ["cluster", "nodeGroups", "general", f], n)),
    fc
      .tuple(fc.constantFrom(...awsEnvs), fc.constantFrom(-1, 0, 1, 451))
      .map(([e, n]) => set(e, ["cluster", "nodeGroups", "general", "maxSize"], n)),
    fc.tuple(fc.constantFrom(...envNames), envKey).map(([e, to]): Mutation => ({ op: "renameKey", env: e, to })),
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
      .map(([e, v]): Mutation => ({ op: "addEnv", key: e, from: e, patch: { workloads: v } })),
  )
  .map((m) => [m]);

// ---- fully random input ------------------------------------------------------------------------

const topKeys = [...new Set(envNames.flatMap((n) => Object.keys(committed[n]!)))];
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
        .map(([platform, o]) => ({ platform, ...o })),
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
        .map(([ts, a, b]) => ({ mutations: [...ts.flat(), ...a, ...b] })),
    },
  );
  return fc.oneof(
    { arbitrary: tweaks, weight: validWeight },
    { arbitrary: broken, weight: 40 },
    { arbitrary: randomInput, weight: 8 },
  );
}

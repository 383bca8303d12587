// DR failover: dr synthesized with `failover: true` differs from the committed standby exactly where
// intended (promotion, prod's sizes, replication from prod stopped, the database writers and
// routes, DNS takeover), and never in a way that replaces or drops a stateful resource.
import { describe, expect, it } from "vitest";
import { environmentInputs, loadEnvironments, type AwsEnvironment } from "../config";
import { statefulAddresses } from "../lib/stateful";
import { inputs, resources, sharedReports, synthAll, type Synthesized } from "./helpers";

const drStacks = ["dr-foundation", "dr-addons", "dr-apps"] as const;
const standby = Object.fromEntries(drStacks.map((id) => [id, synthAll().get(id)!])) as Record<(typeof drStacks)[number], Synthesized>;
const promoted = Object.fromEntries(drStacks.map((id) => [id, synthAll("drFailover").get(id)!])) as typeof standby;

/** Resources and data sources by address, without the hash cdktf appends to generated names. */
function byAddress(s: Synthesized): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [kind, prefix] of [["resource", ""], ["data", "data."]] as const) {
    for (const [type, byName] of Object.entries(s[kind] ?? {})) {
      for (const [name, attrs] of Object.entries(byName)) out.set(`${prefix}${type}.${name.replace(/_[0-9A-F]{8}$/, "")}`, attrs);
    }
  }
  return out;
}

/** Leaf paths (a.b.0.c) whose values differ between two attribute objects. */
function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => changedPaths((a as any)[k], (b as any)[k], path ? `${path}.${k}` : k));
  }
  return [path];
}

type StackDiff = { added: string[]; removed: string[]; changed: Record<string, string[]> };
function diff(from: Synthesized, to: Synthesized): StackDiff {
  const a = byAddress(from);
  const b = byAddress(to);
  const changed: Record<string, string[]> = {};
  for (const [addr, attrs] of a) {
    const paths = b.has(addr) ? changedPaths(attrs, b.get(addr)) : [];
    if (paths.length) changed[addr] = paths.sort();
  }
  return { added: [...b.keys()].filter((k) => !a.has(k)).sort(), removed: [...a.keys()].filter((k) => !b.has(k)).sort(), changed };
}

const names = (type: string, ...ns: string[]) => ns.map((n) => `${type}.${n}`);
const policies = (workload: string, ...ps: string[]) => names("kubernetes_network_policy_v1", ...ps.map((p) => `${workload}_ns_np-${p}`));

/** The intended differences, per stack. Anything else is a failover doing more than it should. */
const intended: Record<(typeof drStacks)[number], StackDiff> = {
  "dr-foundation": {
    added: [],
    removed: [
      // Nothing replicates into a promoted database any more.
      "aws_cloudwatch_metric_alarm.alarms_db-replica-lag",
      // Nor into the lake: the rules on prod's buckets go (with their role, alarms and topic in
      // prod's region), so that a returning prod cannot write into the lake that is now primary.
      ...names("aws_cloudwatch_metric_alarm", ...["bronze", "gold", "silver"].map((z) => `alarms_s3-replication-${z}-to-standby`)),
      ...names("aws_iam_role", "replication_role"),
      ...names("aws_iam_role_policy", "replication_policy"),
      ...names("aws_s3_bucket_replication_configuration", "replication_bronze", "replication_gold", "replication_silver"),
      ...names("aws_sns_topic", "alarms_source-topic"),
      ...names("data.aws_kms_alias", "source-alerts-key", "source-s3-key"),
    ].sort(),
    changed: {
      // Promotion, all in place: replication dropped, the master password taken over by RDS in
      // this region (storage autoscales already on the standby).
      "aws_db_instance.postgres_replica": ["manage_master_user_password", "master_user_secret_kms_key_id", "replicate_source_db"],
      // prod's node groups (same names and instance types: a resize, not a replacement).
      "aws_eks_node_group.eks_general-nodes": ["scaling_config.desired_size", "scaling_config.min_size"],
      // external-secrets may now read the master secret RDS created on promotion (the database Job needs it).
      "aws_iam_role_policy.role-external-secrets_policy": ["policy"],
    },
  },
  "dr-addons": { added: [], removed: [], changed: {} },
  "dr-apps": {
    added: [
      // The database writers: the database Job, Airbyte, Superset (with its Dremio connection) and dbt.
      ...names("data.aws_route53_zone", "zone"),
      ...names("helm_release", "helm_airbyte"),
      ...names("kubernetes_config_map_v1", "app-databases_script", "dbt_profiles", "superset_admin-config"),
      // At prod's sizes Airbyte runs two servers, each pair kept up by a disruption budget.
      ...names("kubernetes_pod_disruption_budget_v1", "airbyte_pdb-server", "airbyte_pdb-worker", "airbyte_pdb-workload-api-server"),
      ...names("kubernetes_namespace_v1", "ns_airbyte", "ns_dbt", "ns_platform_db", "ns_superset"),
      ...names(
        "kubernetes_manifest",
        "airbyte_auth-bootstrap_es",
        "airbyte_db-credentials_es",
        "app-databases_admin_es",
        "app-databases_job",
        "app-databases_secret-airbyte_es",
        "app-databases_secret-superset_es",
        "app-databases_secret-temporal_es",
        "dbt_cronjob",
        "dbt_password_es",
        "superset",
        "superset-dremio_password_es",
        "superset-dremio_register",
        "superset_admin_es",
        "superset_create-admin",
        "superset_metastore_es",
        "superset_secret-key_es",
        "superset_valkey_deployment",
        "superset_valkey_password_es",
        "superset_valkey_service",
      ),
      ...policies("airbyte", "allow-dns", "allow-same-namespace", "default-deny", "egress-api-server", "egress-https", "egress-object-store", "egress-pod-identity-agent", "egress-postgres", "ingress-ui"),
      ...policies("app-databases", "allow-dns", "default-deny", "egress-postgres"),
      ...policies("dbt", "allow-dns", "default-deny", "egress-dremio"),
      ...policies("superset", "allow-dns", "allow-same-namespace", "default-deny", "egress-dremio-dremio", "egress-https", "egress-postgres", "ingress-web"),
      // The routes: one ALB serving dr's names and prod's, dr's own records, prod's names as
      // SECONDARY failover records, and the takeover probe that moves them here.
      ...names("kubernetes_ingress_v1", "ingress_ingress-airbyte", "ingress_ingress-dremio", "ingress_ingress-grafana", "ingress_ingress-superset"),
      ...names("aws_route53_record", ...["airbyte", "dremio", "grafana", "superset"].flatMap((h) => [`ingress_dns-${h}`, `ingress_takeover-${h}`]), "ingress_takeover-probe"),
    ].sort(),
    removed: [],
    // prod's sizes for what runs warm on the standby: Dremio's executors; and Dremio, now behind
    // the ALB, gets the load balancer controller's readiness gates.
    changed: {
      "kubernetes_horizontal_pod_autoscaler_v2.dremio_executor-hpa": ["spec.min_replicas"],
      "kubernetes_manifest.dremio_executors": ["manifest.spec.replicas"],
      "kubernetes_namespace_v1.ns_dremio": ["metadata.labels.elbv2.k8s.aws/pod-readiness-gate-inject"],
    },
  },
};

/** Attributes whose change makes the AWS and Kubernetes providers replace the object. */
const forcesReplacement: Record<string, string[]> = {
  aws_db_instance: ["identifier", "identifier_prefix", "engine", "kms_key_id", "storage_encrypted", "username", "db_name", "availability_zone", "character_set_name", "nchar_character_set_name", "timezone", "snapshot_identifier", "restore_to_point_in_time", "custom_iam_instance_profile"],
  aws_eks_node_group: ["node_group_name", "instance_types", "capacity_type", "ami_type", "subnet_ids", "cluster_name"],
  aws_s3_bucket: ["bucket", "bucket_prefix", "object_lock_enabled"],
  aws_kms_key: ["customer_master_key_spec", "key_usage", "multi_region"],
  aws_eks_cluster: ["name"],
  aws_cloudwatch_log_group: ["name", "name_prefix"],
  aws_secretsmanager_secret: ["name", "name_prefix"],
  aws_vpc: ["cidr_block"],
  helm_release: ["name", "namespace"],
  kubernetes_namespace_v1: ["metadata.0.name", "metadata.name"],
  kubernetes_manifest: ["manifest.apiVersion", "manifest.kind", "manifest.metadata.name", "manifest.metadata.namespace", "manifest.spec.volumeClaimTemplates", "manifest.spec.selector"],
};

describe("dr failover", () => {
  for (const id of drStacks) {
    it(`${id} differs from the standby only where intended`, () => {
      expect(diff(standby[id], promoted[id])).toEqual(intended[id]);
    });
  }

  it("never drops a stateful resource or changes an attribute that forces its replacement", () => {
    for (const id of drStacks) {
      const kept = new Set(statefulAddresses(promoted[id]));
      expect(statefulAddresses(standby[id]).filter((a) => !kept.has(a)), id).toEqual([]);
      for (const [addr, paths] of Object.entries(diff(standby[id], promoted[id]).changed)) {
        const forbidden = forcesReplacement[addr.split(".")[0]!] ?? [];
        expect(paths.filter((p) => forbidden.some((f) => p === f || p.startsWith(`${f}.`))), `${id} ${addr}`).toEqual([]);
      }
    }
  });

  it("promotes the replica in place: protected, Multi-AZ, backed up, at the same address", () => {
    const before = standby["dr-foundation"].resource!.aws_db_instance!;
    const after = promoted["dr-foundation"].resource!.aws_db_instance!;
    expect(Object.keys(after)).toEqual(Object.keys(before));
    const db = after.postgres_replica as Record<string, any>;
    expect(db.replicate_source_db).toBeUndefined();
    expect(db).toMatchObject({ multi_az: true, deletion_protection: true, storage_encrypted: true, lifecycle: { prevent_destroy: true } });
    expect(db.backup_retention_period).toBeGreaterThanOrEqual(7);
    expect(db.username).toBeUndefined();
  });

  it("keeps the provider for prod's region, which deletes the replication rules it no longer declares", () => {
    for (const s of [standby["dr-foundation"], promoted["dr-foundation"]]) {
      expect(s.provider!.aws!.map((p) => [p.alias, p.region])).toEqual([[undefined, "us-west-2"], ["source", "us-east-1"]]);
    }
  });

  it("takes prod's workload sizes and node groups only when failover is on", () => {
    const load = (failover: boolean) => {
      const r = loadEnvironments({ ...environmentInputs, dr: { ...(environmentInputs.dr as object), failover } });
      if (!r.ok) throw new Error(r.errors.join("\n"));
      const by = (n: string) => r.environments.find((e) => e.name === n) as AwsEnvironment;
      return { prod: by("prod"), dr: by("dr") };
    };
    const on = load(true);
    expect(on.dr.workloads).toEqual(on.prod.workloads);
    expect(on.dr.cluster.nodeGroups).toEqual(on.prod.cluster.nodeGroups);
    const off = load(false);
    expect(off.dr.workloads.dremio.executors.count).toBeLessThan(off.prod.workloads.dremio.executors.count);
    expect(off.dr.cluster.nodeGroups.general!.desiredSize).toBeLessThan(off.prod.cluster.nodeGroups.general!.desiredSize);
    // Everything else stays dr's own, but for the waivers a promoted standby adds (tested below).
    expect({ ...on.dr, workloads: undefined, cluster: { ...on.dr.cluster, nodeGroups: undefined }, failover: undefined, policy: undefined }).toEqual({
      ...off.dr,
      workloads: undefined,
      cluster: { ...off.dr.cluster, nodeGroups: undefined },
      failover: undefined,
      policy: undefined,
    });
    // dr's own waivers stay; promotion adds the lake's.
    expect(on.dr.policy.waivers.slice(0, off.dr.policy.waivers.length)).toEqual(off.dr.policy.waivers);
    expect(on.dr.policy.waivers.slice(off.dr.policy.waivers.length).map((w) => `${w.rule} ${w.address}`)).toEqual([
      "S3-007 aws_s3_bucket.lake_bronze",
      "S3-007 aws_s3_bucket.lake_silver",
      "S3-007 aws_s3_bucket.lake_gold",
    ]);
    // Before promotion only the log and Airbyte buckets (never replicated) carry S3-007 waivers.
    expect(off.dr.policy.waivers.filter((w) => w.rule === "S3-007" && !["aws_s3_bucket.lake_logs", "aws_s3_bucket.lake_airbyte"].includes(w.address))).toEqual([]);
  });
});

describe("dr failover DNS", () => {
  const prodApps = synthAll().get("prod-apps")!;
  const check = resources(prodApps, "aws_route53_health_check");
  const checkAddress = Object.keys(prodApps.resource!.aws_route53_health_check ?? {})[0];

  it("prod's records are PRIMARY failover records, healthy until a standby answers the takeover probe", () => {
    expect(check).toEqual([
      expect.objectContaining({ type: "HTTPS_STR_MATCH", fqdn: "takeover.data.example.com", port: 443, enable_sni: true, invert_healthcheck: true }),
    ]);
    const records = resources(prodApps, "aws_route53_record");
    expect(records.map((r) => r.name).sort()).toEqual(["airbyte", "dremio", "grafana", "superset"].map((h) => `${h}.data.example.com`));
    for (const r of records) {
      expect(r).toMatchObject({ set_identifier: "primary", failover_routing_policy: { type: "PRIMARY" }, health_check_id: `\${aws_route53_health_check.${checkAddress}.id}` });
    }
  });

  it("a standby takes nothing over before failover", () => {
    expect(resources(standby["dr-apps"], "aws_route53_record")).toEqual([]);
    expect(resources(standby["dr-apps"], "aws_route53_health_check")).toEqual([]);
  });

  it("the promoted standby serves prod's names, as SECONDARY records, and answers the probe last", () => {
    const s = promoted["dr-apps"];
    const records = resourceMapNoHash(s, "aws_route53_record");
    for (const h of ["airbyte", "dremio", "grafana", "superset"]) {
      expect(records[`ingress_dns-${h}`]).toMatchObject({ name: `${h}.dr.data.example.com`, type: "CNAME" });
      expect(records[`ingress_dns-${h}`]!.failover_routing_policy).toBeUndefined();
      expect(records[`ingress_takeover-${h}`]).toMatchObject({ name: `${h}.data.example.com`, type: "CNAME", set_identifier: "standby", failover_routing_policy: { type: "SECONDARY" } });
    }
    const probe = records["ingress_takeover-probe"]!;
    expect(probe).toMatchObject({ name: check[0]!.fqdn, type: "CNAME" });
    expect(probe.set_identifier).toBeUndefined();
    // Once the probe answers, prod's names move here: every route and SECONDARY record first.
    expect((probe.depends_on as string[]).filter((d) => /kubernetes_ingress_v1|ingress_takeover-/.test(d))).toHaveLength(8);

    const ingresses = resources(s, "kubernetes_ingress_v1");
    for (const i of ingresses) {
      const hosts = (i.spec.rule as { host: string }[]).map((r) => r.host);
      const label = hosts[0]!.split(".")[0];
      expect(hosts.slice(0, 2)).toEqual([`${label}.dr.data.example.com`, `${label}.data.example.com`]);
      for (const h of hosts) expect(i.spec.tls[0].hosts).toContain(h);
    }
    // The probe's answer is exactly what prod's health check looks for.
    const withProbe = ingresses.filter((i) => i.metadata.annotations["alb.ingress.kubernetes.io/actions.takeover-probe"]);
    expect(withProbe).toHaveLength(1);
    const action = JSON.parse(withProbe[0]!.metadata.annotations["alb.ingress.kubernetes.io/actions.takeover-probe"]);
    expect(action).toEqual({ type: "fixed-response", fixedResponseConfig: { contentType: "text/plain", statusCode: "200", messageBody: check[0]!.search_string } });
    expect(withProbe[0]!.spec.rule.map((r: { host: string }) => r.host)).toContain(check[0]!.fqdn);
  });

  it("the standby's certificate covers prod's names ahead of a failover, validated by prod's own records", () => {
    for (const s of [standby["dr-foundation"], promoted["dr-foundation"]]) {
      const cert = resources(s, "aws_acm_certificate")[0]!;
      expect(cert.subject_alternative_names).toEqual(["*.dr.data.example.com", "data.example.com", "*.data.example.com"]);
      const validation = resources(s, "aws_route53_record")[0]!;
      expect(validation.for_each).toContain('if !contains(["data.example.com","*.data.example.com"], val.domain_name)');
    }
    expect(resources(synthAll().get("prod-foundation")!, "aws_acm_certificate")[0]!.subject_alternative_names).toEqual(["*.data.example.com"]);
  });
});

describe("failover configuration", () => {
  const errorsWith = (mutate: (raw: Record<string, any>) => void) => {
    const raw = inputs();
    mutate(raw);
    const r = loadEnvironments(raw);
    return r.ok ? [] : r.errors;
  };

  it("is allowed only on a standby", () => {
    expect(errorsWith((r) => (r.staging.failover = true))).toEqual([expect.stringMatching(/^config error in staging: failover is allowed only for tier standby/)]);
  });

  it("keeps the standby's state in its own region, reachable with its source's region down", () => {
    const inSourceRegion = (r: Record<string, any>) => (r.dr.backend = { ...r.prod.backend });
    expect(errorsWith(inSourceRegion)).toEqual([
      expect.stringMatching(/^config error in dr: backend\.region must be dr's own region [a-z0-9-]+: with prod's region down, terraform init of dr's stacks must still reach its state/),
      expect.stringMatching(/^config error in dr: backend\.bucket must not be prod's state bucket/),
    ]);
    const sharedBucket = (r: Record<string, any>) => (r.dr.backend = { ...r.prod.backend, region: r.dr.aws.region });
    expect(errorsWith(sharedBucket)).toEqual([expect.stringMatching(/^config error in dr: backend\.bucket must not be prod's state bucket/)]);
    for (const s of ["dr-foundation", "dr-addons", "dr-apps"]) {
      const backend = (synthAll().get(s)!.terraform as { backend: { s3: { region: string } } }).backend.s3;
      expect(backend.region, s).not.toBe((synthAll().get(s.replace("dr-", "prod-"))!.terraform as { backend: { s3: { region: string } } }).backend.s3.region);
    }
  });

  it("requires the standby's node groups to match its source's, so that a failover resizes them in place", () => {
    const other = (r: Record<string, any>) => (r.dr.cluster = { ...r.dr.cluster, nodeGroups: { general: { ...r.dr.cluster.nodeGroups.general, instanceTypes: ["r7i.4xlarge"] } } });
    expect(errorsWith(other)).toEqual([expect.stringMatching(/^config error in dr: cluster\.nodeGroups\.general\.instanceTypes must equal prod's/)]);
    const renamed = (r: Record<string, any>) => (r.dr.cluster = { ...r.dr.cluster, nodeGroups: { small: r.dr.cluster.nodeGroups.general } });
    expect(errorsWith(renamed)).toEqual([expect.stringMatching(/^config error in dr: cluster\.nodeGroups must name the same groups as prod's \(general\)/)]);
  });
});

function resourceMapNoHash(s: Synthesized, type: string): Record<string, Record<string, any>> {
  return Object.fromEntries(Object.entries(s.resource?.[type] ?? {}).map(([n, r]) => [n.replace(/_[0-9A-F]{8}$/, ""), r as Record<string, any>]));
}

describe("a promoted dr under the policy suite", () => {
  it("synthesizes with no error-level violation; its unreplicated lake is waived with a reason", () => {
    const reports = sharedReports("drFailover").filter((r) => r.stack.startsWith("dr-"));
    const failing = reports.flatMap((r) => r.results.filter((x) => x.violations.some((v) => v.level === "error")).map((x) => `${r.stack} ${x.rule.id}`));
    expect(failing).toEqual([]);
    const waived = reports.flatMap((r) => r.results.flatMap((x) => x.violations.filter((v) => v.level === "waived").map((v) => `${r.stack} ${x.rule.id} ${v.address}`)));
    expect(waived.sort()).toEqual([
      "dr-foundation S3-007 aws_s3_bucket.lake_airbyte",
      "dr-foundation S3-007 aws_s3_bucket.lake_bronze",
      "dr-foundation S3-007 aws_s3_bucket.lake_gold",
      "dr-foundation S3-007 aws_s3_bucket.lake_silver",
    ]);
  });
});

describe("secrets a standby shares with its source", () => {
  it("a promoted dr's Superset reads prod's SECRET_KEY from its replica in dr's region", () => {
    for (const stack of [promoted["dr-apps"]]) {
      const manifests = Object.values(stack.resource?.kubernetes_manifest ?? {}) as { manifest: { kind: string; metadata: { name: string }; spec: { data: { remoteRef: { key: string } }[] } } }[];
      const es = manifests.find((m) => m.manifest.kind === "ExternalSecret" && m.manifest.metadata.name === "superset-secret-key")!;
      expect(es.manifest.spec.data.map((d) => d.remoteRef.key)).toEqual(["odp/prod/superset-secret-key"]);
    }
  });
});

// DR failover: dr synthesized with `failover: true` differs from the committed standby exactly where
// intended (promotion, prod's sizes, the database writers and their routes, the takeover probe's
// answer), never in a way that replaces or drops a stateful resource, and never through an API of
// prod's region or a global control plane (IAM, Route 53: us-east-1), so it applies in an outage.
import { describe, expect, it } from "vitest";
import { loadEnvironments, loadOrThrow, type AwsEnvironment } from "../config";
import { statefulAddresses } from "../lib/stateful";
import { diff, drStacks, promoted, standby, type StackDiff } from "./failover-fixture";
import { inputs, resources, sharedReports, synthAll, type Synthesized } from "./helpers";
import { fixtureInputs } from "./fixtures/environments";

const names = (type: string, ...ns: string[]) => ns.map((name) => `${type}.${name}`);
const policies = (workload: string, ...ps: string[]) =>
  names("kubernetes_network_policy_v1", ...ps.map((policy) => `${workload}_ns_np-${policy}`));

/** The intended differences, per stack. Anything else is a failover doing more than it should. */
const intended: Record<(typeof drStacks)[number], StackDiff> = {
  "dr-foundation": {
    added: [],
    // Nothing replicates into a promoted database any more.
    removed: ["aws_cloudwatch_metric_alarm.alarms_db-replica-lag"],
    changed: {
      // Promotion, all in place: replication dropped, the master password taken over by RDS in
      // this region (storage autoscales already on the standby). external-secrets' grant on the
      // secret RDS then creates is in place already (matched by tag): no IAM change.
      "aws_db_instance.postgres_replica": [
        "manage_master_user_password",
        "master_user_secret_kms_key_id",
        "replicate_source_db",
      ],
      // prod's node groups (same names and instance types: a resize, not a replacement).
      "aws_eks_node_group.eks_general-nodes": ["scaling_config.desired_size", "scaling_config.min_size"],
    },
  },
  "dr-addons": { added: [], removed: [], changed: {} },
  "dr-apps": {
    added: [
      // The database writers: the database Job, Airbyte, Superset (with its Dremio connection) and dbt.
      ...names("helm_release", "helm_airbyte"),
      ...names("kubernetes_config_map_v1", "app-databases_script", "dbt_profiles", "superset_admin-config"),
      // At prod's sizes Airbyte runs two servers, each pair kept up by a disruption budget.
      ...names(
        "kubernetes_pod_disruption_budget_v1",
        "airbyte_pdb-server",
        "airbyte_pdb-worker",
        "airbyte_pdb-workload-api-server",
      ),
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
      ...policies(
        "airbyte",
        "allow-dns",
        "allow-same-namespace",
        "default-deny",
        "egress-api-server",
        "egress-https",
        "egress-object-store",
        "egress-pod-identity-agent",
        "egress-postgres",
        "ingress-ui",
      ),
      ...policies("app-databases", "allow-dns", "default-deny", "egress-postgres"),
      ...policies("dbt", "allow-dns", "default-deny", "egress-dremio"),
      ...policies(
        "superset",
        "allow-dns",
        "allow-same-namespace",
        "default-deny",
        "egress-dremio-dremio",
        "egress-https",
        "egress-postgres",
        "ingress-web",
      ),
      // Their routes, on the load balancer that already serves dr's and prod's names.
      ...names("kubernetes_ingress_v1", "ingress_ingress-airbyte", "ingress_ingress-superset"),
    ].sort(),
    removed: [],
    changed: {
      // prod's sizes for what runs warm on the standby: Dremio's executors.
      "kubernetes_horizontal_pod_autoscaler_v2.dremio_executor-hpa": ["spec.min_replicas"],
      "kubernetes_manifest.dremio_executors": ["manifest.spec.replicas"],
      // The edge answers the takeover probe (which moves prod's names here) once the writers'
      // routes exist, and stops answering 503 for their hosts.
      "kubernetes_ingress_v1.ingress_edge": [
        ...[0, 1, 2, 3].map((i) => `depends_on.${i}`),
        "metadata.annotations.alb.ingress.kubernetes.io/actions.pending",
        "metadata.annotations.alb.ingress.kubernetes.io/actions.takeover-probe",
        ...[1, 2, 3, 4].map((i) => `spec.rule.${i}`),
        ...[1, 2, 3, 4].map((i) => `spec.tls.0.hosts.${i}`),
      ],
    },
  },
};

/** Attributes whose change makes the AWS and Kubernetes providers replace the object. */
const forcesReplacement: Record<string, string[]> = {
  aws_db_instance: [
    "identifier",
    "identifier_prefix",
    "engine",
    "kms_key_id",
    "storage_encrypted",
    "username",
    "db_name",
    "availability_zone",
    "character_set_name",
    "nchar_character_set_name",
    "timezone",
    "snapshot_identifier",
    "restore_to_point_in_time",
    "custom_iam_instance_profile",
  ],
  aws_eks_node_group: ["node_group_name", "instance_types", "capacity_type", "ami_type", "subnet_ids", "cluster_name"],
  aws_s3_bucket: ["bucket", "bucket_prefix", "object_lock_enabled"],
  aws_kms_key: ["customer_master_key_spec", "key_usage", "multi_region"],
  aws_eks_cluster: ["name"],
  aws_cloudwatch_log_group: ["name", "name_prefix"],
  aws_secretsmanager_secret: ["name", "name_prefix"],
  aws_vpc: ["cidr_block"],
  helm_release: ["name", "namespace"],
  kubernetes_namespace_v1: ["metadata.0.name", "metadata.name"],
  kubernetes_manifest: [
    "manifest.apiVersion",
    "manifest.kind",
    "manifest.metadata.name",
    "manifest.metadata.namespace",
    "manifest.spec.volumeClaimTemplates",
    "manifest.spec.selector",
  ],
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
      expect(
        statefulAddresses(standby[id]).filter((address) => !kept.has(address)),
        id,
      ).toEqual([]);
      for (const [addr, paths] of Object.entries(diff(standby[id], promoted[id]).changed)) {
        const forbidden = forcesReplacement[addr.split(".")[0]!] ?? [];
        expect(
          paths.filter((path) => forbidden.some((attr) => path === attr || path.startsWith(`${attr}.`))),
          `${id} ${addr}`,
        ).toEqual([]);
      }
    }
  });

  it("promotes the replica in place: protected, Multi-AZ, backed up, at the same address", () => {
    const before = standby["dr-foundation"].resource!.aws_db_instance!;
    const after = promoted["dr-foundation"].resource!.aws_db_instance!;
    expect(Object.keys(after)).toEqual(Object.keys(before));
    const db = after.postgres_replica as Record<string, any>;
    expect(db.replicate_source_db).toBeUndefined();
    expect(db).toMatchObject({
      multi_az: true,
      deletion_protection: true,
      storage_encrypted: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(db.backup_retention_period).toBeGreaterThanOrEqual(7);
    expect(db.username).toBeUndefined();
  });

  it("takes prod's workload sizes and node groups only when failover is on", () => {
    const load = (failover: boolean) => {
      const result = loadEnvironments({ ...fixtureInputs, dr: { ...(fixtureInputs.dr as object), failover } });
      if (!result.ok) throw new Error(result.errors.join("\n"));
      const by = (envName: string) => result.environments.find((env) => env.name === envName) as AwsEnvironment;
      return { prod: by("prod"), dr: by("dr") };
    };
    const on = load(true);
    expect(on.dr.workloads).toEqual(on.prod.workloads);
    expect(on.dr.cluster.nodeGroups).toEqual(on.prod.cluster.nodeGroups);
    const off = load(false);
    expect(off.dr.workloads.dremio.executors.count).toBeLessThan(off.prod.workloads.dremio.executors.count);
    expect(off.dr.cluster.nodeGroups.general!.desiredSize).toBeLessThan(
      off.prod.cluster.nodeGroups.general!.desiredSize,
    );
    // Everything else stays dr's own, but for the waivers a promoted standby adds (tested below).
    expect({
      ...on.dr,
      workloads: undefined,
      cluster: { ...on.dr.cluster, nodeGroups: undefined },
      failover: undefined,
      policy: undefined,
    }).toEqual({
      ...off.dr,
      workloads: undefined,
      cluster: { ...off.dr.cluster, nodeGroups: undefined },
      failover: undefined,
      policy: undefined,
    });
    // The same waivers, but S3-007's reasons: replicated before, fenced after.
    const replicated = (env: AwsEnvironment) =>
      env.policy.waivers.filter(
        (waiver) =>
          waiver.rule === "S3-007" &&
          !["aws_s3_bucket.lake_logs", "aws_s3_bucket.lake_airbyte"].includes(waiver.address),
      );
    expect(on.dr.policy.waivers.map((waiver) => `${waiver.rule} ${waiver.address}`)).toEqual(
      off.dr.policy.waivers.map((waiver) => `${waiver.rule} ${waiver.address}`),
    );
    expect(replicated(off.dr).map((waiver) => waiver.address)).toEqual(
      ["bronze", "silver", "gold", "platform"].map((layer) => `aws_s3_bucket.lake_${layer}`),
    );
    for (const waiver of replicated(off.dr))
      expect(waiver.reason).toMatch(/^destination of the replication rules in dr-replication/);
    for (const waiver of replicated(on.dr)) expect(waiver.reason).toMatch(/^promoted standby: prod is lost or fenced/);
  });
});

describe("dr failover DNS", () => {
  const prodApps = synthAll().get("prod-apps")!;
  const check = resources(prodApps, "aws_route53_health_check");
  const checkAddress = Object.keys(prodApps.resource!.aws_route53_health_check ?? {})[0];

  it("prod's records are PRIMARY failover records, healthy until a standby answers the takeover probe", () => {
    expect(check).toEqual([
      expect.objectContaining({
        type: "HTTPS_STR_MATCH",
        fqdn: "takeover.data.fixture.example",
        port: 443,
        enable_sni: true,
        invert_healthcheck: true,
      }),
    ]);
    const records = resources(prodApps, "aws_route53_record");
    expect(records.map((record) => record.name).sort()).toEqual(
      ["airbyte", "dremio", "grafana", "superset"].map((app) => `${app}.data.fixture.example`),
    );
    for (const record of records) {
      expect(record).toMatchObject({
        set_identifier: "primary",
        failover_routing_policy: { type: "PRIMARY" },
        health_check_id: `\${aws_route53_health_check.${checkAddress}.id}`,
      });
    }
  });

  it("a standby publishes every record ahead of a failover, which changes none of them", () => {
    const before = resourceMapNoHash(standby["dr-apps"], "aws_route53_record");
    expect(resourceMapNoHash(promoted["dr-apps"], "aws_route53_record")).toEqual(before);
    expect(resources(standby["dr-apps"], "aws_route53_health_check")).toEqual([]);
    const edge = `\${kubernetes_ingress_v1.${Object.keys(standby["dr-apps"].resource!.kubernetes_ingress_v1!).find((k) => k.startsWith("ingress_edge"))}.status[0].load_balancer[0].ingress[0].hostname}`;
    for (const app of ["airbyte", "dremio", "grafana", "superset"]) {
      expect(before[`ingress_dns-${app}`]).toMatchObject({
        name: `${app}.dr.data.fixture.example`,
        type: "CNAME",
        records: [edge],
      });
      expect(before[`ingress_dns-${app}`]!.failover_routing_policy).toBeUndefined();
      expect(before[`ingress_takeover-${app}`]).toMatchObject({
        name: `${app}.data.fixture.example`,
        type: "CNAME",
        records: [edge],
        set_identifier: "standby",
        failover_routing_policy: { type: "SECONDARY" },
      });
    }
    expect(before["ingress_takeover-probe"]).toMatchObject({ name: check[0]!.fqdn, type: "CNAME", records: [edge] });
    expect(before["ingress_takeover-probe"]!.set_identifier).toBeUndefined();
    // The hosts a standby publishes for its writers are theirs, once they run.
    const promotedHosts = resources(promoted["dr-apps"], "kubernetes_ingress_v1").flatMap((i) =>
      (i.spec.rule as { host: string }[]).map((rule) => rule.host),
    );
    for (const record of Object.values(before)) expect(promotedHosts).toContain(record.name);
  });

  it("only the promoted standby answers the probe, with what prod's check looks for, after every route", () => {
    const probeAction = (stack: Synthesized) => {
      const edge = resources(stack, "kubernetes_ingress_v1").find((i) => i.metadata.name === "edge")!;
      expect(edge.spec.rule.map((rule: { host: string }) => rule.host)).toContain(check[0]!.fqdn);
      return {
        edge,
        action: JSON.parse(edge.metadata.annotations["alb.ingress.kubernetes.io/actions.takeover-probe"]),
      };
    };
    expect(probeAction(standby["dr-apps"]).action.fixedResponseConfig.statusCode).toBe("503");
    const { edge, action } = probeAction(promoted["dr-apps"]);
    expect(action).toEqual({
      type: "fixed-response",
      fixedResponseConfig: { contentType: "text/plain", statusCode: "200", messageBody: check[0]!.search_string },
    });
    expect((edge.depends_on as string[]).filter((dep) => dep.startsWith("kubernetes_ingress_v1."))).toHaveLength(4);

    for (const i of resources(promoted["dr-apps"], "kubernetes_ingress_v1").filter(
      (ingress) => ingress.metadata.name !== "edge",
    )) {
      const hosts = (i.spec.rule as { host: string }[]).map((rule) => rule.host);
      const label = hosts[0]!.split(".")[0];
      expect(hosts).toEqual([`${label}.dr.data.fixture.example`, `${label}.data.fixture.example`]);
      expect(i.spec.tls[0].hosts).toEqual(hosts);
    }
  });

  it("the standby's certificate covers prod's names ahead of a failover, validated by prod's own records", () => {
    for (const stack of [standby["dr-foundation"], promoted["dr-foundation"]]) {
      const cert = resources(stack, "aws_acm_certificate")[0]!;
      expect(cert.subject_alternative_names).toEqual([
        "*.dr.data.fixture.example",
        "data.fixture.example",
        "*.data.fixture.example",
      ]);
      const validation = resources(stack, "aws_route53_record")[0]!;
      expect(validation.for_each).toContain(
        'if !contains(["data.fixture.example","*.data.fixture.example"], val.domain_name)',
      );
    }
    expect(resources(synthAll().get("prod-foundation")!, "aws_acm_certificate")[0]!.subject_alternative_names).toEqual([
      "*.data.fixture.example",
    ]);
  });
});

describe("failover configuration", () => {
  const errorsWith = (mutate: (raw: Record<string, any>) => void) => {
    const raw = inputs();
    mutate(raw);
    const result = loadEnvironments(raw);
    return result.ok ? [] : result.errors;
  };

  it("is allowed only on a standby", () => {
    expect(errorsWith((raw) => (raw.staging.failover = true))).toEqual([
      expect.stringMatching(/^config error in staging: failover is allowed only for tier standby/),
    ]);
  });

  it("keeps the standby's state in its own region, reachable with its source's region down", () => {
    // Given explicitly: by default a standby's bucket is its source's name with its own region appended.
    const prodBucket = (raw: Record<string, any>) =>
      (loadOrThrow(raw).find((env) => env.name === "prod") as AwsEnvironment).backend.bucket;
    const inSourceRegion = (raw: Record<string, any>) =>
      (raw.dr.backend = { ...raw.prod.backend, bucket: prodBucket(raw) });
    expect(errorsWith(inSourceRegion)).toEqual([
      expect.stringMatching(
        /^config error in dr: backend\.region must be dr's own region [a-z0-9-]+: with prod's region down, terraform init of dr's stacks must still reach its state/,
      ),
      expect.stringMatching(/^config error in dr: backend\.bucket must not be prod's state bucket/),
    ]);
    const sharedBucket = (raw: Record<string, any>) =>
      (raw.dr.backend = { ...raw.prod.backend, bucket: prodBucket(raw), region: raw.dr.aws.region });
    expect(errorsWith(sharedBucket)).toEqual([
      expect.stringMatching(/^config error in dr: backend\.bucket must not be prod's state bucket/),
    ]);
    for (const stackId of ["dr-foundation", "dr-addons", "dr-apps"]) {
      const backend = (synthAll().get(stackId)!.terraform as { backend: { s3: { region: string } } }).backend.s3;
      expect(backend.region, stackId).not.toBe(
        (synthAll().get(stackId.replace("dr-", "prod-"))!.terraform as { backend: { s3: { region: string } } }).backend
          .s3.region,
      );
    }
  });

  it("requires the standby's node groups to match its source's, so that a failover resizes them in place", () => {
    const other = (raw: Record<string, any>) =>
      (raw.dr.cluster = {
        ...raw.dr.cluster,
        nodeGroups: { general: { ...raw.dr.cluster.nodeGroups.general, instanceTypes: ["r7i.4xlarge"] } },
      });
    expect(errorsWith(other)).toEqual([
      expect.stringMatching(/^config error in dr: cluster\.nodeGroups\.general\.instanceTypes must equal prod's/),
    ]);
    const renamed = (raw: Record<string, any>) =>
      (raw.dr.cluster = { ...raw.dr.cluster, nodeGroups: { small: raw.dr.cluster.nodeGroups.general } });
    expect(errorsWith(renamed)).toEqual([
      expect.stringMatching(/^config error in dr: cluster\.nodeGroups must name the same groups as prod's \(general\)/),
    ]);
  });
});

function resourceMapNoHash(stack: Synthesized, type: string): Record<string, Record<string, any>> {
  return Object.fromEntries(
    Object.entries(stack.resource?.[type] ?? {}).map(([name, attrs]) => [
      name.replace(/_[0-9A-F]{8}$/, ""),
      attrs as Record<string, any>,
    ]),
  );
}

describe("a promoted dr under the policy suite", () => {
  it("synthesizes with no error-level violation; its unreplicated lake is waived with a reason", () => {
    const reports = sharedReports("drFailover").filter((report) => report.stack.startsWith("dr-"));
    const failing = reports.flatMap((report) =>
      report.results
        .filter((result) => result.violations.some((violation) => violation.level === "error"))
        .map((result) => `${report.stack} ${result.rule.id}`),
    );
    expect(failing).toEqual([]);
    const waived = reports.flatMap((report) =>
      report.results.flatMap((result) =>
        result.violations
          .filter((violation) => violation.level === "waived")
          .map((violation) => `${report.stack} ${result.rule.id} ${violation.address}`),
      ),
    );
    expect(waived.sort()).toEqual([
      "dr-foundation S3-007 aws_s3_bucket.lake_airbyte",
      "dr-foundation S3-007 aws_s3_bucket.lake_bronze",
      "dr-foundation S3-007 aws_s3_bucket.lake_gold",
      "dr-foundation S3-007 aws_s3_bucket.lake_platform",
      "dr-foundation S3-007 aws_s3_bucket.lake_silver",
    ]);
  });
});

describe("secrets a standby shares with its source", () => {
  it("a promoted dr's Superset reads prod's SECRET_KEY from its replica in dr's region", () => {
    for (const stack of [promoted["dr-apps"]]) {
      const manifests = Object.values(stack.resource?.kubernetes_manifest ?? {}) as {
        manifest: { kind: string; metadata: { name: string }; spec: { data: { remoteRef: { key: string } }[] } };
      }[];
      const es = manifests.find(
        (resource) =>
          resource.manifest.kind === "ExternalSecret" && resource.manifest.metadata.name === "superset-secret-key",
      )!;
      expect(es.manifest.spec.data.map((entry) => entry.remoteRef.key)).toEqual(["odp/prod/superset-secret-key"]);
    }
  });
});

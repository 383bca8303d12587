// In-cluster PostgreSQL through CloudNativePG's `cluster` chart: a primary with streaming
// replicas (instances > 1), an optional PgBouncer pooler, and the superuser's credentials from
// the platform secret store. Environment-agnostic: every value comes from props or the foundation.
//
// CloudNativePG's defaults, kept: instance and pooler pods run non-root (uid 26 / 998) with the
// restricted profile (RuntimeDefault seccomp, no privilege escalation, all capabilities dropped,
// read-only root file system); server TLS with an operator-managed CA; liveness/readiness probes
// on the instance manager (port 8000).
import { Construct } from "constructs";
import type { SecretRef } from "../../platform/contract";
import { ExternalSecret } from "../external-secret";
import { HelmChart } from "../helm-chart";
import { PlatformNamespace } from "../platform-namespace";
import { hostTopologyKey, spreadAcross, zoneTopologyKey } from "../pod-hardening";
import { storageClassNames } from "../storage-classes";
import type { ChartWorkloadProps } from "./types";

export interface PostgresClusterProps extends ChartWorkloadProps {
  /** 1 in development; 3 for HA (a primary and two streaming replicas). */
  readonly instances: number;
  readonly storageGiB: number;
  /** Put a PgBouncer pooler (transaction mode) in front of the primary; `host` then points at it. */
  readonly pooler: boolean;
  /** Operand image, pinned: e.g. versions.images.cnpgPostgres. */
  readonly imageName: string;
  /** PostgreSQL major of `imageName`. @default 17 */
  readonly postgresMajor?: string;
  /** The superuser's store entries. CloudNativePG's superuser is `postgres`: the stored username
   *  must be exactly that, or the operator refuses the Secret. */
  readonly superuser: { readonly username: SecretRef; readonly password: SecretRef };
  /** PodDisruptionBudgets of the primary and replicas. With one instance the
   *  primary's budget blocks node drains until the instance is deleted by hand. @default true */
  readonly enablePDB?: boolean;
  /** PodMonitor and PrometheusRule (needs the Prometheus operator's CRDs). @default false */
  readonly monitoring?: boolean;
  /** PgBouncer instances of the pooler (2-3). @default 2 */
  readonly poolerInstances?: number;
  /** Requests of each instance (memory is also the limit). @default 500m CPU, 1Gi memory */
  readonly resources?: { readonly cpu: string; readonly memory: string };
  /** Namespace of the CloudNativePG operator. @default cnpg-system */
  readonly operatorNamespace?: string;
}

/** Name of the Cluster resource; services are `<name>-rw`, `-ro`, `-r`. */
export const postgresClusterName = "postgres";
export const postgresPort = 5432;
/** The instance manager's status port, called by the operator. */
const statusPort = 8000;

export class PostgresCluster extends Construct {
  readonly namespace: PlatformNamespace;
  readonly chart: HelmChart;
  /** Where applications connect: the pooler when there is one, else the primary. */
  readonly host: string;
  readonly port = postgresPort;
  /** The primary's read-write service, for session-level work (migrations, database init). */
  readonly primaryHost: string;
  /** Read-only service over the replicas. */
  readonly replicaHost: string;
  readonly poolerService?: string;
  /** Secret (basic-auth keys username/password) of the `postgres` superuser. */
  readonly superuserSecret: string;

  constructor(scope: Construct, id: string, props: PostgresClusterProps) {
    super(scope, id);
    const { foundation, namespace: ns } = props;
    const major = props.postgresMajor ?? "17";
    checkImage(props.imageName, major);
    if (props.instances < 1) throw new Error("PostgresCluster: instances must be >= 1");

    this.primaryHost = `${postgresClusterName}-rw.${ns}.svc`;
    this.replicaHost = `${postgresClusterName}-ro.${ns}.svc`;
    // The chart names a pooler "<fullname>-pooler-<name>"; CloudNativePG gives its Service the same name.
    this.poolerService = props.pooler ? `${postgresClusterName}-pooler-rw` : undefined;
    this.host = this.poolerService ? `${this.poolerService}.${ns}.svc` : this.primaryHost;
    this.superuserSecret = `${postgresClusterName}-superuser`;

    this.namespace = new PlatformNamespace(this, "ns", { name: ns });

    const superuser = new ExternalSecret(this, "superuser", {
      namespace: ns,
      secretName: this.superuserSecret,
      data: { username: props.superuser.username, password: props.superuser.password },
      dependsOn: [this.namespace.namespace, ...(props.dependsOn ?? [])],
    });

    const resources = props.resources ?? { cpu: "500m", memory: "1Gi" };
    const monitoring = props.monitoring ?? false;
    const poolerLabels = { "cnpg.io/poolerName": this.poolerService ?? "" };

    this.chart = new HelmChart(this, "chart", {
      releaseName: "postgres",
      namespace: ns,
      source: props.chart,
      // The release owns the data store's custom resource: uninstalling it deletes the store.
      preventDestroy: props.foundation.protect,
      values: {
        // The chart would otherwise name the cluster "<release>-cluster".
        fullnameOverride: postgresClusterName,
        type: "postgresql",
        mode: "standalone",
        version: { postgresql: major },
        cluster: {
          instances: props.instances,
          // Explicit: the chart's default "ghcr.io/cloudnative-pg/postgresql:<major>" resolves to a
          // deprecated system-bullseye image.
          imageName: props.imageName,
          storage: { size: `${props.storageGiB}Gi`, storageClass: storageClassNames.fast },
          resources: {
            requests: { cpu: resources.cpu, memory: resources.memory },
            limits: { memory: resources.memory },
          },
          affinity: foundation.zoneSpread
            ? { enablePodAntiAffinity: true, topologyKey: zoneTopologyKey, podAntiAffinityType: "preferred" }
            : { enablePodAntiAffinity: true, topologyKey: hostTopologyKey, podAntiAffinityType: "preferred" },
          // The database-init job connects as `postgres` to create application roles and databases.
          enableSuperuserAccess: true,
          superuserSecret: this.superuserSecret,
          enablePDB: props.enablePDB ?? true,
          monitoring: { enabled: monitoring },
        },
        backups: { enabled: false },
        poolers: props.pooler
          ? [
              {
                name: "rw",
                type: "rw",
                poolMode: "transaction",
                instances: props.poolerInstances ?? 2,
                parameters: { max_client_conn: "1000", default_pool_size: "25" },
                monitoring: { enabled: monitoring },
                template: {
                  metadata: { labels: poolerLabels },
                  spec: {
                    containers: [
                      {
                        name: "pgbouncer",
                        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                      },
                    ],
                    ...(foundation.zoneSpread
                      ? {
                          topologySpreadConstraints: [
                            spreadAcross("zone", poolerLabels, { whenUnsatisfiable: "ScheduleAnyway" }),
                          ],
                        }
                      : {}),
                  },
                },
              },
            ]
          : [],
      },
      dependsOn: [this.namespace.namespace, superuser.manifest],
    });

    // Clients in any namespace that needs the database (instances and pooler listen on 5432).
    this.namespace.allowIngressFrom("clients", { kind: "namespace", namespace: "*", ports: [postgresPort] });
    // The operator polls each instance's status endpoint and connects to PostgreSQL.
    this.namespace.allowIngressFrom("operator", {
      kind: "namespace",
      namespace: props.operatorNamespace ?? "cnpg-system",
      ports: [statusPort, postgresPort],
    });
    // Instance managers and PgBouncer read their Cluster, Secrets and leases from the API server.
    this.namespace.allowEgressTo("api-server", foundation.apiServer);
  }
}

/** A pinned operand of the declared major: the bare `MM` and `MM.mm` tags are deprecated
 *  system-bullseye builds, so they are refused unless pinned by digest. */
function checkImage(image: string, major: string): void {
  const name = image.split("@")[0]!;
  const tag = name.lastIndexOf(":") > name.lastIndexOf("/") ? name.slice(name.lastIndexOf(":") + 1) : "";
  if (!tag && !image.includes("@sha256:"))
    throw new Error(`PostgresCluster: imageName must carry a tag or digest, got ${image}`);
  if (tag && !(tag === major || tag.startsWith(`${major}.`) || tag.startsWith(`${major}-`))) {
    throw new Error(`PostgresCluster: imageName tag ${tag} is not PostgreSQL ${major}`);
  }
  if (/^\d+(\.\d+)?$/.test(tag) && !image.includes("@sha256:")) {
    throw new Error(
      `PostgresCluster: bare tag ${tag} resolves to a deprecated system-bullseye image; use e.g. ${major}.x-standard-trixie`,
    );
  }
}

// An Apache ZooKeeper ensemble from the Docker library image (`zookeeper`, maintained by 31z4, not
// Bitnami) as plain Kubernetes resources: a StatefulSet with a volume per member, a headless Service
// for the members, a client Service, a disruption budget and the network policies. No chart exists
// that is maintained and not Bitnami's; this is the whole of what Dremio needs.
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { typedManifest, type TopologySpreadConstraint } from "../manifest-types";
import { execProbe, restrictedContainerSecurity, restrictedPodSecurity, spreadAcross } from "../pod-hardening";
import { createHash } from "node:crypto";
import { protect } from "../../../lib/protect";
import { assertNoTemplateSequences } from "../../../lib/terraform-text";
import { mebibytes } from "../../../lib/quantity";

export interface ZooKeeperProps {
  readonly namespace: string;
  /** StatefulSet and Service name prefix. @default zookeeper */
  readonly name?: string;
  /** Ensemble size: 1 (no fault tolerance), 3 or 5. */
  readonly replicas: number;
  readonly storageGiB: number;
  /** Pinned image of the Docker library `zookeeper` repository, e.g. zookeeper:3.9.5. */
  readonly image: string;
  /** Spread members across zones (multi-AZ clusters). */
  readonly zoneSpread: boolean;
  /** Storage class of each member's volume. @default fast-ssd */
  readonly storageClass?: string;
  /** CPU request of each member. @default 250m */
  readonly cpu?: string;
  /** Memory request and limit; the heap gets half. @default 1024 */
  readonly memoryMi?: number;
  /** Protected tiers: volume claims kept when the StatefulSet is deleted or scaled in (stated, not
   *  left to the default), and prevent_destroy on the StatefulSet. From the Foundation contract. @default false */
  readonly protect?: boolean;
  /** What the ensemble's resources wait for. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** A StatefulSet's claims outlive it and its scale-ins (protected tiers). */
export const retainVolumeClaims = { whenDeleted: "Retain", whenScaled: "Retain" } as const;

export const zookeeperPorts = { client: 2181, peer: 2888, election: 3888, metrics: 7000 } as const;

// The image's `zookeeper` user and group.
const zookeeperUid = 1000;

/**
 * A ZooKeeper ensemble of `replicas` members.
 *
 * - Configuration: zoo.cfg comes from a ConfigMap mounted over /conf/zoo.cfg only, so the image's
 *   entrypoint keeps it (it writes zoo.cfg only when absent) and the image's logback.xml stays. The
 *   member id is the pod's ordinal + 1 (downward API label apps.kubernetes.io/pod-index), which the
 *   entrypoint writes to /data/myid once.
 * - Members find each other through the headless Service, which publishes not-ready addresses: a
 *   member is only ready once it is in a quorum, and it needs its peers' names for that. Members
 *   start in parallel for the same reason.
 * - Probes use the four-letter words over bash's /dev/tcp (no JVM per probe): `ruok` for liveness,
 *   `srvr` reporting a Mode (leader, follower, standalone) for readiness.
 * - Network: the clients port is open to pods of this namespace only; the quorum ports only between
 *   members.
 */
export class ZooKeeper extends Construct {
  readonly name: string;
  /** Connect string for clients: every member's stable name, comma-separated, no spaces. */
  readonly connectString: string;
  /** ClusterIP Service for clients that do not need the member list. */
  readonly clientService: string;
  readonly headlessService: string;
  readonly podLabels: Record<string, string>;
  readonly statefulSet: Manifest;
  readonly configText: string;

  constructor(scope: Construct, id: string, props: ZooKeeperProps) {
    super(scope, id);
    validate(props);
    const name = props.name ?? "zookeeper";
    const ns = props.namespace;
    const replicas = props.replicas;
    const memoryMi = props.memoryMi ?? 1024;
    const heapMi = Math.floor(memoryMi / 2);
    this.name = name;
    this.podLabels = { "app.kubernetes.io/name": "zookeeper", "app.kubernetes.io/instance": name };
    this.headlessService = `${name}-headless`;
    this.clientService = name;
    const member = (i: number) => `${name}-${i}.${this.headlessService}.${ns}.svc.cluster.local`;
    this.connectString = Array.from({ length: replicas }, (_, i) => `${member(i)}:${zookeeperPorts.client}`).join(",");

    this.configText = zooCfg(replicas, member);
    assertNoTemplateSequences(this.configText, "zoo.cfg");
    const configName = `${name}-config`;
    const config = new ConfigMapV1(this, "config", {
      metadata: { name: configName, namespace: ns, labels: this.podLabels },
      data: { "zoo.cfg": this.configText },
      dependsOn: props.dependsOn,
    });

    const fourLetterWord = (word: string) =>
      `(exec 3<>/dev/tcp/127.0.0.1/${zookeeperPorts.client}; echo ${word} >&3; cat <&3; exec 3<&-)`;
    const ruok = ["/bin/bash", "-c", `[ "$(${fourLetterWord("ruok")})" = "imok" ]`] as const;
    const serving = ["/bin/bash", "-c", `${fourLetterWord("srvr")} | grep -q '^Mode: '`] as const;
    // $(( )) is arithmetic, not a Terraform template: only "${" and "%{" are.
    const start = "export ZOO_MY_ID=$((POD_INDEX + 1)); exec /docker-entrypoint.sh zkServer.sh start-foreground";
    for (const [what, value] of [
      ["ruok probe", ruok[2]],
      ["srvr probe", serving[2]],
      ["start command", start],
    ] as const) {
      assertNoTemplateSequences(value, what);
    }

    const spread: TopologySpreadConstraint[] = [];
    if (replicas > 1) spread.push(spreadAcross("host", this.podLabels, { whenUnsatisfiable: "DoNotSchedule" }));
    if (props.zoneSpread) spread.push(spreadAcross("zone", this.podLabels, { whenUnsatisfiable: "DoNotSchedule" }));

    const headless = typedManifest(this, "headless", {
      manifest: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: this.headlessService, namespace: ns, labels: this.podLabels },
        spec: {
          clusterIP: "None",
          publishNotReadyAddresses: true,
          selector: this.podLabels,
          ports: [
            { name: "client", port: zookeeperPorts.client, targetPort: "client", protocol: "TCP" },
            { name: "peer", port: zookeeperPorts.peer, targetPort: "peer", protocol: "TCP" },
            { name: "election", port: zookeeperPorts.election, targetPort: "election", protocol: "TCP" },
            { name: "metrics", port: zookeeperPorts.metrics, targetPort: "metrics", protocol: "TCP" },
          ],
        },
      },
      dependsOn: props.dependsOn,
    });
    typedManifest(this, "client", {
      manifest: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: this.clientService, namespace: ns, labels: this.podLabels },
        spec: {
          type: "ClusterIP",
          selector: this.podLabels,
          ports: [{ name: "client", port: zookeeperPorts.client, targetPort: "client", protocol: "TCP" }],
        },
      },
      dependsOn: props.dependsOn,
    });

    this.statefulSet = typedManifest(this, "statefulset", {
      manifest: {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name, namespace: ns, labels: this.podLabels },
        spec: {
          serviceName: this.headlessService,
          replicas,
          podManagementPolicy: "Parallel",
          updateStrategy: { type: "RollingUpdate" },
          revisionHistoryLimit: 3,
          selector: { matchLabels: this.podLabels },
          template: {
            metadata: {
              labels: this.podLabels,
              annotations: { "checksum/config": createHash("sha256").update(this.configText).digest("hex") },
            },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              terminationGracePeriodSeconds: 60,
              securityContext: restrictedPodSecurity({
                uid: zookeeperUid,
                fsGroup: zookeeperUid,
                fsGroupChangePolicy: "OnRootMismatch",
              }),
              ...(spread.length ? { topologySpreadConstraints: spread } : {}),
              containers: [
                {
                  name: "zookeeper",
                  image: props.image,
                  imagePullPolicy: "IfNotPresent",
                  command: ["/bin/bash", "-c", start],
                  env: [
                    {
                      name: "POD_INDEX",
                      valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } },
                    },
                    // zkEnv.sh turns this into -Xmx; its default (1000 MB) ignores the container limit.
                    { name: "ZK_SERVER_HEAP", value: String(heapMi) },
                    { name: "ZOO_LOG_DIR", value: "/logs" },
                  ],
                  ports: [
                    { name: "client", containerPort: zookeeperPorts.client, protocol: "TCP" },
                    { name: "peer", containerPort: zookeeperPorts.peer, protocol: "TCP" },
                    { name: "election", containerPort: zookeeperPorts.election, protocol: "TCP" },
                    { name: "metrics", containerPort: zookeeperPorts.metrics, protocol: "TCP" },
                  ],
                  resources: {
                    requests: { cpu: props.cpu ?? "250m", memory: mebibytes(memoryMi) },
                    limits: { memory: mebibytes(memoryMi) },
                  },
                  securityContext: restrictedContainerSecurity({ uid: zookeeperUid }),
                  startupProbe: execProbe(ruok, { periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 60 }),
                  readinessProbe: execProbe(serving, { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }),
                  livenessProbe: execProbe(ruok, { periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 }),
                  volumeMounts: [
                    { name: "data", mountPath: "/data" },
                    { name: "config", mountPath: "/conf/zoo.cfg", subPath: "zoo.cfg", readOnly: true },
                    { name: "logs", mountPath: "/logs" },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "config", configMap: { name: configName } },
                { name: "logs", emptyDir: { sizeLimit: "256Mi" } },
                { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
              ],
            },
          },
          ...(props.protect ? { persistentVolumeClaimRetentionPolicy: retainVolumeClaims } : {}),
          volumeClaimTemplates: [
            {
              metadata: { name: "data", labels: this.podLabels },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: props.storageClass ?? "fast-ssd",
                resources: { requests: { storage: `${props.storageGiB}Gi` } },
              },
            },
          ],
        },
      },
      // Every member becomes ready only in a quorum: the rollout completes when the ensemble serves.
      wait: { rollout: true },
      timeouts: { create: "15m", update: "15m" },
      dependsOn: [config, headless, ...(props.dependsOn ?? [])],
    });
    protect(this.statefulSet, props.protect ?? false);

    // One voluntary disruption at a time keeps a quorum of 3 or 5; a single member has none to keep.
    if (replicas > 1) {
      new PodDisruptionBudgetV1(this, "pdb", {
        metadata: { name, namespace: ns, labels: this.podLabels },
        spec: { maxUnavailable: "1", selector: { matchLabels: this.podLabels } },
        dependsOn: props.dependsOn,
      });
    }

    // Clients: any pod of this namespace (Dremio runs here), nothing from elsewhere. Quorum traffic:
    // members only, both directions (the namespace denies all egress by default).
    const policy = (pid: string, spec: ConstructorParameters<typeof NetworkPolicyV1>[2]["spec"]) =>
      new NetworkPolicyV1(this, pid, {
        metadata: { name: `${name}-${pid}`, namespace: ns },
        spec,
        dependsOn: props.dependsOn,
      });
    const tcp = (port: number) => ({ port: String(port), protocol: "TCP" });
    policy("clients", {
      podSelector: { matchLabels: this.podLabels },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: {} }], ports: [tcp(zookeeperPorts.client)] }],
    });
    policy("quorum", {
      podSelector: { matchLabels: this.podLabels },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: this.podLabels } }],
          ports: [tcp(zookeeperPorts.peer), tcp(zookeeperPorts.election)],
        },
      ],
      egress: [
        {
          to: [{ podSelector: { matchLabels: this.podLabels } }],
          ports: [tcp(zookeeperPorts.peer), tcp(zookeeperPorts.election)],
        },
      ],
    });
  }
}

/** zoo.cfg for an ensemble of `replicas` (standalone for one member). */
export function zooCfg(replicas: number, member: (i: number) => string): string {
  const lines = [
    "dataDir=/data",
    "dataLogDir=/data/datalog",
    "tickTime=2000",
    "initLimit=10",
    "syncLimit=5",
    "maxClientCnxns=60",
    "autopurge.snapRetainCount=3",
    "autopurge.purgeInterval=24",
    `standaloneEnabled=${replicas === 1}`,
    // Election ports bind on all addresses: a member's own name resolves only once it is published.
    "quorumListenOnAllIPs=true",
    "admin.enableServer=false",
    "4lw.commands.whitelist=ruok,srvr,mntr",
    "metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider",
    `metricsProvider.httpPort=${zookeeperPorts.metrics}`,
    ...Array.from(
      { length: replicas },
      (_, i) =>
        `server.${i + 1}=${member(i)}:${zookeeperPorts.peer}:${zookeeperPorts.election};${zookeeperPorts.client}`,
    ),
  ];
  return lines.join("\n") + "\n";
}

function validate(props: ZooKeeperProps): void {
  if (![1, 3, 5].includes(props.replicas))
    throw new Error(`ZooKeeper replicas: must be 1, 3 or 5 (an odd ensemble), got ${props.replicas}`);
  if (!Number.isInteger(props.storageGiB) || props.storageGiB < 1)
    throw new Error(`ZooKeeper storageGiB: must be an integer >= 1, got ${props.storageGiB}`);
  if (!/[:@]/.test(props.image) || /:latest$/.test(props.image))
    throw new Error(`ZooKeeper image "${props.image}": pin a tag other than latest, or a digest`);
}

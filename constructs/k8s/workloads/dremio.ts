// Dremio OSS as own Kubernetes resources (no maintained OSS chart exists): a ZooKeeper ensemble, the
// master coordinator and the executors as StatefulSets, their Services, configuration, disruption
// budgets, executor autoscaling, network policies and a bootstrap Job.
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import {
  httpProbe,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  spreadAcross,
  tcpProbe,
  type ProbeTiming,
} from "../pod-hardening";
import {
  typedManifest,
  type Container,
  type ContainerPort,
  type PersistentVolumeClaim,
  type PodSpec,
  type PodTemplateSpec,
  type Volume,
} from "../manifest-types";
import { createHash } from "node:crypto";
import { cores } from "../../../lib/quantity";
import { ExternalSecret } from "../external-secret";
import { jobManifest } from "../job-manifest";
import { PlatformNamespace } from "../platform-namespace";
import { lakeZones } from "../../platform/contract";
import {
  accessKeyProfileTemplate,
  awsFiles,
  bootstrapScript,
  coreSiteXml,
  dremioConf,
  dremioPaths,
  dremioPorts,
  jvmMemory,
  lakeSource,
  podIdentityHelper,
  podIdentityProfile,
  type BootstrapConfig,
  type DremioRole,
} from "./dremio-config";
import type { ExposedService, WorkloadProps } from "./types";
import { retainVolumeClaims, ZooKeeper } from "./zookeeper";
import { protect } from "../../../lib/protect";
import { assertNoTemplateSequences } from "../../../lib/terraform-text";

/** Sizes, in the shape of the configuration's workloads.dremio (constructs do not import config). */
export interface DremioSizes {
  readonly coordinator: {
    readonly cpu: number;
    readonly memoryGiB: number;
    readonly heapGiB: number;
    readonly storageGiB: number;
  };
  readonly executors: {
    readonly count: number;
    readonly maxCount: number;
    readonly requests: { readonly cpu: number; readonly memoryGiB: number };
    readonly limits: { readonly cpu: number; readonly memoryGiB: number };
    readonly heapMinGiB: number;
    readonly heapMaxGiB: number;
    readonly storageGiB: number;
  };
  readonly zookeeper: { readonly replicas: number; readonly storageGiB: number };
}

export interface DremioProps extends WorkloadProps, DremioSizes {
  /** Pinned Dremio OSS image (versions.images.dremio), e.g. dremio/dremio-oss:26.0.5. */
  readonly image: string;
  /** Pinned ZooKeeper image (versions.images.zookeeper). */
  readonly zookeeperImage: string;
  /** Pinned Python image for the bootstrap Job (versions.images.dremioBootstrap). */
  readonly bootstrapImage: string;
  /** The service account the foundation binds the object-store role to (namespace/name). @default dremio */
  readonly serviceAccountName?: string;
  /** Namespaces of Dremio's clients, admitted on the REST/UI and Arrow Flight ports.
   *  @default superset, airbyte and dbt, per field */
  readonly clientNamespaces?: {
    /** @default superset */
    readonly superset?: string;
    /** @default airbyte */
    readonly airbyte?: string;
    /** @default dbt */
    readonly dbt?: string;
  };
  /** Distributed storage (reflections, uploads, job results): never in the lake's zones (Glacier,
   *  object lock, and a standby's replication of them would overwrite its own cluster's files).
   *  @default the Foundation's platform bucket, /dremio */
  readonly distStorage?: { readonly bucket: string; readonly path: string };
  /** Name of the S3 source the bootstrap Job registers for the lake. @default lake */
  readonly lakeSourceName?: string;
  /** Reflection refresh period and grace period on the lake source, in hours (the seeds: 1 h). @default 1 */
  readonly reflectionRefreshHours?: number;
  /** Spaces the bootstrap creates (dbt's target space). @default ["analytics"] */
  readonly spaces?: readonly string[];
  /** Reflection grace period on the lake source, in hours. @default 3 */
  readonly reflectionGraceHours?: number;
  /** Storage class of the coordinator's, executors' and ZooKeeper's volumes. @default fast-ssd */
  readonly storageClass?: string;
}

/** The first administrator; the password comes from the store entry dremio-admin. */
export const dremioAdminUser = "platform-admin";
/** Service users dbt and Superset query Dremio as (passwords: dremio-dbt, dremio-superset). */
export const dremioServiceUsers = { dbt: "dbt", superset: "superset" } as const;

// The image's `dremio` user and group.
const dremioUid = 999;
const name = "dremio";
const services = {
  ui: "dremio-ui",
  client: "dremio-client",
  cluster: "dremio-cluster-pod",
  metrics: "dremio-metrics",
} as const;
const secretNames = { users: "dremio-users", s3: "dremio-s3-credentials" } as const;

/**
 * A Dremio cluster: one master coordinator, `executors.count` executors (autoscaled up to
 * `executors.maxCount` on CPU when larger), an external ZooKeeper ensemble, and the lake as
 * distributed storage.
 *
 * - Configuration: one ConfigMap holding dremio.conf per role and core-site.xml, mounted file by file
 *   over the image's conf directory (its logback files stay). No credential is in it.
 * - Object-store credentials: Dremio accepts only a fixed list of credential providers, none of which
 *   reads EKS Pod Identity or IRSA credentials. Every pod therefore uses Dremio's AWS-profile mode with
 *   the profile `dremio`: on EKS its credential_process asks the Pod Identity agent (the role the
 *   foundation associates with dremio/dremio); on S3-compatible stores it is a Secret rendered by
 *   external-secrets from the store's access key references.
 * - Coordinator: no disruption budget. With one replica, maxUnavailable 1 allows everything and
 *   maxUnavailable 0 blocks every node drain forever; a drain restarts it (minutes of UI/query
 *   downtime, KV store kept on its volume).
 * - Network: closed namespace; the coordinator admits 9047 and 32010 from the Superset, Airbyte and
 *   dbt namespaces, 9047 from the entry point; pods of the namespace (coordinator, executors,
 *   ZooKeeper, the bootstrap Job) talk freely; egress to PostgreSQL, the object store and, on EKS, the
 *   Pod Identity agent and STS.
 */
export class Dremio extends Construct {
  readonly namespace: PlatformNamespace;
  readonly zookeeper: ZooKeeper;
  readonly coordinator: Manifest;
  readonly executors: Manifest;
  readonly autoscaler?: HorizontalPodAutoscalerV2;
  readonly bootstrapJob: Manifest;
  readonly exposed: ExposedService;
  /** Arrow Flight for Superset and dbt: host:port. */
  readonly flightEndpoint: string;
  /** REST API and UI inside the cluster. */
  readonly restEndpoint: string;
  /** Legacy JDBC/ODBC: host:port. */
  readonly jdbcEndpoint: string;
  readonly podLabels: Record<DremioRole, Record<string, string>>;
  /** dremio.conf per role and core-site.xml, as written into the ConfigMap. */
  readonly configFiles: { readonly coordinator: string; readonly executor: string; readonly coreSite: string };

  constructor(scope: Construct, id: string, props: DremioProps) {
    super(scope, id);
    validate(props);
    const foundation = props.foundation;
    const ns = props.namespace;
    const store = foundation.objectStore;
    const onPodIdentity = store.access.kind === "serviceAccountRole";
    const serviceAccount = props.serviceAccountName ?? "dremio";
    const clients = { superset: "superset", airbyte: "airbyte", dbt: "dbt", ...props.clientNamespaces };
    const dist = props.distStorage ?? { bucket: store.platformBucket, path: "/dremio" };
    const storageClass = props.storageClass ?? "fast-ssd";

    const clusterLabels = { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name };
    this.podLabels = {
      coordinator: { ...clusterLabels, "app.kubernetes.io/component": "coordinator" },
      executor: { ...clusterLabels, "app.kubernetes.io/component": "executor" },
    };
    const host = (svc: string) => `${svc}.${ns}.svc.cluster.local`;
    this.flightEndpoint = `${host(services.client)}:${dremioPorts.flight}`;
    this.restEndpoint = `http://${host(services.client)}:${dremioPorts.web}`;
    this.jdbcEndpoint = `${host(services.client)}:${dremioPorts.client}`;

    this.namespace = new PlatformNamespace(this, "ns", { name: ns });
    const deps: ITerraformDependable[] = [this.namespace.namespace, ...(props.dependsOn ?? [])];

    this.zookeeper = new ZooKeeper(this, "zookeeper", {
      namespace: ns,
      replicas: props.zookeeper.replicas,
      storageGiB: props.zookeeper.storageGiB,
      image: props.zookeeperImage,
      zoneSpread: foundation.zoneSpread,
      storageClass,
      protect: foundation.protect,
      dependsOn: deps,
    });

    // --- Identity and credentials ----------------------------------------------------------------
    const sa = new ServiceAccountV1(this, "sa", {
      metadata: { name: serviceAccount, namespace: ns, labels: clusterLabels },
      // Dremio never calls the Kubernetes API; the Pod Identity webhook projects its own token.
      automountServiceAccountToken: false,
      dependsOn: deps,
    });
    const users = new ExternalSecret(this, "users", {
      namespace: ns,
      secretName: secretNames.users,
      data: {
        "admin-password": { key: foundation.secretKeys["dremio-admin"], property: "password" },
        "dbt-password": { key: foundation.secretKeys["dremio-dbt"], property: "password" },
        "superset-password": { key: foundation.secretKeys["dremio-superset"], property: "password" },
      },
      dependsOn: deps,
    });
    const credentialDeps: ITerraformDependable[] = [];
    let awsVolume: Volume;
    if (store.access.kind === "credentialsSecret") {
      const s3 = new ExternalSecret(this, "s3-credentials", {
        namespace: ns,
        secretName: secretNames.s3,
        data: { accessKey: store.access.accessKey, secretKey: store.access.secretKey },
        template: { [awsFiles.profile]: accessKeyProfileTemplate("accessKey", "secretKey") },
        dependsOn: deps,
      });
      credentialDeps.push(s3.manifest);
      awsVolume = {
        name: "aws",
        secret: {
          secretName: secretNames.s3,
          items: [{ key: awsFiles.profile, path: awsFiles.profile }],
          defaultMode: 0o440,
        },
      };
    } else {
      awsVolume = {
        name: "aws",
        configMap: {
          name: `${name}-aws`,
          items: [
            { key: awsFiles.profile, path: awsFiles.profile },
            { key: awsFiles.podIdentityHelper, path: awsFiles.podIdentityHelper },
          ],
          defaultMode: 0o444,
        },
      };
      credentialDeps.push(
        new ConfigMapV1(this, "aws-profile", {
          metadata: { name: `${name}-aws`, namespace: ns, labels: clusterLabels },
          data: { [awsFiles.profile]: podIdentityProfile(), [awsFiles.podIdentityHelper]: podIdentityHelper() },
          dependsOn: deps,
        }),
      );
    }

    // --- Configuration ---------------------------------------------------------------------------
    this.configFiles = {
      coordinator: dremioConf({ role: "coordinator", zookeeper: this.zookeeper.connectString, dist }),
      executor: dremioConf({ role: "executor", zookeeper: this.zookeeper.connectString, dist }),
      coreSite: coreSiteXml(store),
    };
    const configName = `${name}-config`;
    const config = new ConfigMapV1(this, "config", {
      metadata: { name: configName, namespace: ns, labels: clusterLabels },
      data: {
        "dremio-coordinator.conf": this.configFiles.coordinator,
        "dremio-executor.conf": this.configFiles.executor,
        "core-site.xml": this.configFiles.coreSite,
      },
      dependsOn: deps,
    });

    // --- Pods ------------------------------------------------------------------------------------
    const podSpec = (role: DremioRole, container: Container, extra: Partial<PodSpec> = {}): PodTemplateSpec => ({
      metadata: {
        labels: this.podLabels[role],
        // A changed file restarts the pods of its role (files are mounted by subPath, never reloaded).
        annotations: {
          "checksum/config": hash(
            this.configFiles[role],
            this.configFiles.coreSite,
            onPodIdentity ? podIdentityHelper() : "secret",
          ),
        },
      },
      spec: {
        serviceAccountName: serviceAccount,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        terminationGracePeriodSeconds: 120,
        securityContext: restrictedPodSecurity({
          uid: dremioUid,
          fsGroup: dremioUid,
          fsGroupChangePolicy: "OnRootMismatch",
        }),
        ...extra,
        containers: [container],
        volumes: [{ name: "config", configMap: { name: configName } }, awsVolume],
      },
    });
    const container = (
      role: DremioRole,
      memory: { heapMiB: number; directMiB: number },
      javaOpts: string[],
    ): Container => ({
      name: `dremio-${role}`,
      image: props.image,
      imagePullPolicy: "IfNotPresent",
      command: [`${dremioPaths.home}/bin/dremio`, "start-fg"],
      env: [
        { name: "DREMIO_MAX_HEAP_MEMORY_SIZE_MB", value: String(memory.heapMiB) },
        { name: "DREMIO_MAX_DIRECT_MEMORY_SIZE_MB", value: String(memory.directMiB) },
        { name: "DREMIO_JAVA_SERVER_EXTRA_OPTS", value: javaOpts.join(" ") },
        { name: "DREMIO_LOG_TO_CONSOLE", value: "1" },
        // Both AWS SDKs Dremio bundles read the `dremio` profile from this file (v1 and v2 names).
        { name: "AWS_CREDENTIAL_PROFILES_FILE", value: `${dremioPaths.aws}/${awsFiles.profile}` },
        { name: "AWS_SHARED_CREDENTIALS_FILE", value: `${dremioPaths.aws}/${awsFiles.profile}` },
        { name: "AWS_REGION", value: store.region },
        // Never fall back to the node's instance role.
        { name: "AWS_EC2_METADATA_DISABLED", value: "true" },
      ],
      // As the upstream chart: the root file system stays writable, everything else is restricted.
      securityContext: restrictedContainerSecurity({
        uid: dremioUid,
        writableRootFilesystem: {
          because: "Dremio writes under /var/log/dremio, /var/run/dremio and /tmp (heap dumps, pid, JNI libs)",
        },
      }),
      volumeMounts: [
        { name: "data", mountPath: dremioPaths.data },
        {
          name: "config",
          mountPath: `${dremioPaths.conf}/dremio.conf`,
          subPath: `dremio-${role}.conf`,
          readOnly: true,
        },
        { name: "config", mountPath: `${dremioPaths.conf}/core-site.xml`, subPath: "core-site.xml", readOnly: true },
        { name: "aws", mountPath: dremioPaths.aws, readOnly: true },
      ],
    });
    const port = (portName: keyof typeof dremioPorts, containerName = portName): ContainerPort => ({
      name: containerName,
      containerPort: dremioPorts[portName],
      protocol: "TCP",
    });
    const volumeClaim = (storageGiB: number, role: DremioRole): PersistentVolumeClaim => ({
      metadata: { name: "data", labels: this.podLabels[role] },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: storageClass,
        resources: { requests: { storage: `${storageGiB}Gi` } },
      },
    });
    const live = (timing: ProbeTiming) => httpProbe("/live", "metrics", { timeoutSeconds: 5, ...timing });
    const serverStatus = (timing: ProbeTiming) => httpProbe("/apiv2/server_status", "web", timing);
    const statefulSetDeps = [config, sa, this.zookeeper.statefulSet, ...credentialDeps, ...deps];

    // Coordinator (master): the KV store lives on its volume (paths.local).
    const coordinator = props.coordinator;
    const cpuCount = (cpu: number) => Math.max(1, Math.ceil(cpu));
    const coordinatorContainer: Container = {
      ...container("coordinator", jvmMemory(coordinator.memoryGiB, coordinator.heapGiB), [
        `-XX:ActiveProcessorCount=${cpuCount(coordinator.cpu)}`,
      ]),
      ports: [port("web"), port("client"), port("flight"), port("fabric"), port("conduit"), port("metrics")],
      resources: {
        requests: { cpu: cores(coordinator.cpu), memory: `${coordinator.memoryGiB}Gi` },
        limits: { memory: `${coordinator.memoryGiB}Gi` },
      },
      // Startup covers a KV store upgrade after an image change: up to 20 minutes.
      startupProbe: serverStatus({ periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 120 }),
      readinessProbe: serverStatus({ periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }),
      livenessProbe: live({ periodSeconds: 20, failureThreshold: 6 }),
    };
    this.coordinator = typedManifest(this, "coordinator", {
      manifest: {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: `${name}-coordinator`, namespace: ns, labels: this.podLabels.coordinator },
        spec: {
          replicas: 1,
          serviceName: services.cluster,
          updateStrategy: { type: "RollingUpdate" },
          revisionHistoryLimit: 3,
          selector: { matchLabels: this.podLabels.coordinator },
          template: podSpec("coordinator", coordinatorContainer),
          // The KV store (users, sources, reflections' definitions) lives on this volume.
          ...(foundation.protect ? { persistentVolumeClaimRetentionPolicy: retainVolumeClaims } : {}),
          volumeClaimTemplates: [volumeClaim(coordinator.storageGiB, "coordinator")],
        },
      },
      wait: { rollout: true },
      timeouts: { create: "30m", update: "30m" },
      dependsOn: statefulSetDeps,
    });
    protect(this.coordinator, foundation.protect);

    // Executors: spill and the cloud cache live on their volumes.
    const executors = props.executors;
    const autoscaled = executors.maxCount > executors.count;
    const executorContainer: Container = {
      ...container("executor", jvmMemory(executors.limits.memoryGiB, executors.heapMaxGiB), [
        `-Xms${executors.heapMinGiB}g`,
        `-XX:ActiveProcessorCount=${cpuCount(executors.limits.cpu)}`,
      ]),
      ports: [port("fabric"), port("conduit"), port("metrics")],
      resources: {
        requests: { cpu: cores(executors.requests.cpu), memory: `${executors.requests.memoryGiB}Gi` },
        limits: { cpu: cores(executors.limits.cpu), memory: `${executors.limits.memoryGiB}Gi` },
      },
      startupProbe: live({ periodSeconds: 10, failureThreshold: 60 }),
      readinessProbe: tcpProbe("fabric", { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }),
      livenessProbe: live({ periodSeconds: 20, failureThreshold: 6 }),
    };
    const spread: Partial<PodSpec> = foundation.zoneSpread
      ? {
          topologySpreadConstraints: [
            spreadAcross("zone", this.podLabels.executor, { whenUnsatisfiable: "DoNotSchedule" }),
            spreadAcross("host", this.podLabels.executor, { whenUnsatisfiable: "ScheduleAnyway" }),
          ],
        }
      : {};
    this.executors = typedManifest(this, "executors", {
      manifest: {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: `${name}-executor`, namespace: ns, labels: this.podLabels.executor },
        spec: {
          replicas: executors.count,
          serviceName: services.cluster,
          podManagementPolicy: "Parallel",
          updateStrategy: { type: "RollingUpdate" },
          revisionHistoryLimit: 3,
          selector: { matchLabels: this.podLabels.executor },
          template: podSpec("executor", executorContainer, spread),
          // Spill and cache only, but a claim kept over a scale-in is reused on the next scale-out.
          ...(foundation.protect ? { persistentVolumeClaimRetentionPolicy: retainVolumeClaims } : {}),
          volumeClaimTemplates: [volumeClaim(executors.storageGiB, "executor")],
        },
      },
      // The autoscaler owns the replica count between count and maxCount.
      ...(autoscaled ? { computedFields: ["metadata.annotations", "metadata.labels", "spec.replicas"] } : {}),
      wait: { rollout: true },
      timeouts: { create: "20m", update: "20m" },
      dependsOn: statefulSetDeps,
    });
    protect(this.executors, foundation.protect);

    if (autoscaled) {
      this.autoscaler = new HorizontalPodAutoscalerV2(this, "executor-hpa", {
        metadata: { name: `${name}-executor`, namespace: ns },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: `${name}-executor` },
          minReplicas: executors.count,
          maxReplicas: executors.maxCount,
          metric: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
          ],
          behavior: {
            scaleUp: [
              {
                stabilizationWindowSeconds: 120,
                selectPolicy: "Max",
                policy: [{ type: "Pods", value: 1, periodSeconds: 120 }],
              },
            ],
            // Removing an executor cancels the query fragments it runs: one at a time, after 30 calm minutes.
            scaleDown: [
              {
                stabilizationWindowSeconds: 1800,
                selectPolicy: "Min",
                policy: [{ type: "Pods", value: 1, periodSeconds: 600 }],
              },
            ],
          },
        },
        dependsOn: [this.executors],
      });
    }
    // The autoscaler may grow even a single executor to several: budget them whenever it exists.
    if (executors.count > 1 || autoscaled) {
      new PodDisruptionBudgetV1(this, "executor-pdb", {
        metadata: { name: `${name}-executor`, namespace: ns, labels: this.podLabels.executor },
        spec: { maxUnavailable: "1", selector: { matchLabels: this.podLabels.executor } },
        dependsOn: deps,
      });
    }

    // --- Services --------------------------------------------------------------------------------
    const service = (
      sid: string,
      svcName: string,
      selector: Record<string, string>,
      ports: (keyof typeof dremioPorts)[],
      headless = false,
    ) =>
      typedManifest(this, sid, {
        manifest: {
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: svcName, namespace: ns, labels: { ...clusterLabels, "app.kubernetes.io/component": sid } },
          spec: {
            ...(headless ? { clusterIP: "None", publishNotReadyAddresses: true } : { type: "ClusterIP" }),
            selector,
            ports: ports.map((portName) => ({
              name: portName,
              port: dremioPorts[portName],
              targetPort: portName,
              protocol: "TCP",
            })),
          },
        },
        dependsOn: deps,
      });
    service("ui", services.ui, this.podLabels.coordinator, ["web"]);
    service("client", services.client, this.podLabels.coordinator, ["web", "client", "flight"]);
    // Stable names for the StatefulSet pods (they register with ZooKeeper under them).
    service("cluster", services.cluster, clusterLabels, ["fabric"], true);
    // For the ServiceMonitor that comes with the monitoring work: every node's :9010/metrics.
    service("metrics", services.metrics, clusterLabels, ["metrics"], true);

    // --- Bootstrap -------------------------------------------------------------------------------
    this.bootstrapJob = this.createBootstrapJob(props, ns, [users.manifest, ...deps]);

    // --- Network ---------------------------------------------------------------------------------
    const nsPeer = (namespace: string) => ({
      kind: "namespace" as const,
      namespace,
      ports: [dremioPorts.web, dremioPorts.flight],
    });
    this.namespace.allowIngressFrom("superset", nsPeer(clients.superset), this.podLabels.coordinator);
    this.namespace.allowIngressFrom("airbyte", nsPeer(clients.airbyte), this.podLabels.coordinator);
    this.namespace.allowIngressFrom("dbt", nsPeer(clients.dbt), this.podLabels.coordinator);
    this.namespace.allowIngressFrom(
      "web",
      { ...foundation.ingressSource, ports: [dremioPorts.web] },
      this.podLabels.coordinator,
    );
    this.namespace.allowEgressTo("postgres", foundation.postgres.network, clusterLabels);
    this.namespace.allowEgressTo("object-store", store.network, clusterLabels);
    // The node-local agent that hands out the role's credentials is allowed by the stack, for
    // every namespace whose service account has a role (Foundation.podCredentials).
    if (onPodIdentity) {
      // Outside compatibility mode Dremio checks its credentials with sts:GetCallerIdentity; STS has
      // no fixed addresses, so HTTPS to anywhere (as the S3 API itself needs without a VPC endpoint).
      this.namespace.allowHttpsEgress(clusterLabels);
    }

    this.exposed = {
      host: `dremio.${foundation.domain}`,
      namespace: ns,
      serviceName: services.ui,
      servicePort: dremioPorts.web,
      targetPort: dremioPorts.web,
      podLabels: this.podLabels.coordinator,
      healthPath: "/",
      dependsOn: [this.namespace.namespace],
    };
  }

  private createBootstrapJob(props: DremioProps, ns: string, dependsOn: ITerraformDependable[]): Manifest {
    const foundation = props.foundation;
    const store = foundation.objectStore;
    const emailDomain = foundation.domain;
    const bootstrap: BootstrapConfig = {
      admin: { userName: dremioAdminUser, email: `${dremioAdminUser}@${emailDomain}` },
      users: [
        {
          name: dremioServiceUsers.dbt,
          email: `${dremioServiceUsers.dbt}@${emailDomain}`,
          passwordEnv: "DBT_PASSWORD",
        },
        {
          name: dremioServiceUsers.superset,
          email: `${dremioServiceUsers.superset}@${emailDomain}`,
          passwordEnv: "SUPERSET_PASSWORD",
        },
      ],
      source: lakeSource({
        name: props.lakeSourceName ?? "lake",
        store,
        buckets: lakeZones.map((zone) => store.buckets[zone]),
        refreshPeriodHours: props.reflectionRefreshHours ?? 1,
        gracePeriodHours: props.reflectionGraceHours ?? 3,
      }),
      spaces: [...(props.spaces ?? ["analytics"])],
      waitSeconds: 1800,
    };
    assertNoTemplateSequences(bootstrap, "bootstrap.json");
    const configJson = JSON.stringify(bootstrap, null, 2);
    const script = bootstrapScript();
    const configName = `${name}-bootstrap`;
    const config = new ConfigMapV1(this, "bootstrap-config", {
      metadata: { name: configName, namespace: ns },
      data: { "bootstrap.py": script, "bootstrap.json": configJson },
      dependsOn,
    });
    const fromSecret = (env: string, key: string) => ({
      name: env,
      valueFrom: { secretKeyRef: { name: secretNames.users, key } },
    });
    const labels = { "app.kubernetes.io/name": "dremio-bootstrap", "app.kubernetes.io/instance": name };
    const nobody = 65534;
    return jobManifest(this, "bootstrap", {
      baseName: `${name}-bootstrap`,
      namespace: ns,
      labels,
      // The Job's name carries a hash of its content and of the script and settings it mounts.
      hashInputs: [script, configJson],
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: 3600,
        // Kept once finished (no TTL: see jobManifest). A re-run only reports what exists and
        // re-synchronises the service users' passwords; force one with terraform apply -replace.
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: "Never",
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurity({ uid: nobody }),
            containers: [
              {
                name: "bootstrap",
                image: props.bootstrapImage,
                command: ["python3", "/etc/dremio-bootstrap/bootstrap.py"],
                env: [
                  { name: "DREMIO_URL", value: `http://${services.client}.${ns}.svc.cluster.local:${dremioPorts.web}` },
                  { name: "BOOTSTRAP_CONFIG", value: "/etc/dremio-bootstrap/bootstrap.json" },
                  { name: "PYTHONDONTWRITEBYTECODE", value: "1" },
                  fromSecret("ADMIN_PASSWORD", "admin-password"),
                  fromSecret("DBT_PASSWORD", "dbt-password"),
                  fromSecret("SUPERSET_PASSWORD", "superset-password"),
                ],
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                securityContext: restrictedContainerSecurity(),
                volumeMounts: [{ name: "bootstrap", mountPath: "/etc/dremio-bootstrap", readOnly: true }],
              },
            ],
            volumes: [{ name: "bootstrap", configMap: { name: configName } }],
          },
        },
      },
      // Not waited for: it waits itself for the coordinator (up to 30 minutes).
      dependsOn: [config, ...dependsOn],
    });
  }
}

function hash(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex");
}

/** What any caller's props must satisfy for the pods to start (Kubernetes, the JVM and dremio.conf
 *  would refuse the rest). Configuration rules (tier minimums, requests equal to limits, direct
 *  memory within the limit) are config/schema.ts's; the memory split is checked by jvmMemory. */
function validate(props: DremioProps): void {
  const executors = props.executors;
  const fail = (field: string, rule: string, got: unknown) => {
    throw new Error(`Dremio ${field}: ${rule}, got ${JSON.stringify(got)}`);
  };
  if (!Number.isInteger(executors.count) || executors.count < 1)
    fail("executors.count", "must be an integer >= 1", executors.count);
  if (!Number.isInteger(executors.maxCount) || executors.maxCount < executors.count)
    fail("executors.maxCount", `must be an integer >= executors.count (${executors.count})`, executors.maxCount);
  if (executors.heapMinGiB > executors.heapMaxGiB)
    fail("executors.heapMinGiB", `must be <= heapMaxGiB (${executors.heapMaxGiB})`, executors.heapMinGiB);
  if (executors.requests.memoryGiB > executors.limits.memoryGiB)
    fail(
      "executors.requests.memoryGiB",
      `must be <= limits.memoryGiB (${executors.limits.memoryGiB})`,
      executors.requests.memoryGiB,
    );
  if (executors.requests.cpu > executors.limits.cpu)
    fail("executors.requests.cpu", `must be <= limits.cpu (${executors.limits.cpu})`, executors.requests.cpu);
  for (const [field, image] of [
    ["image", props.image],
    ["zookeeperImage", props.zookeeperImage],
    ["bootstrapImage", props.bootstrapImage],
  ] as const) {
    if (!/[:@]/.test(image) || /:latest$/.test(image))
      fail(field, "must be pinned to a tag other than latest, or a digest", image);
  }
  if (props.distStorage && !/^\/[A-Za-z0-9._\-/]*[A-Za-z0-9._-]$/.test(props.distStorage.path))
    fail("distStorage.path", "must start with / and not end with /", props.distStorage.path);
}

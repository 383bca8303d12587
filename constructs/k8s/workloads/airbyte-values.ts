// Helm values of the Airbyte v2 chart (airbytehq/charts 2.2.0), built as typed objects from the
// Foundation contract. Every key below was checked against the chart's templates
// (templates/config/*.tpl, templates/airbyte-*/); the values-keys test checks them against the
// chart's defaults and template paths in the reference directory (../shared/chart-values).
import { toleratesInterruption } from "../scheduling";
import {
  inChartOrder,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  spreadAcross,
  zoneTopologyKey,
  type ProbeTiming,
} from "../pod-hardening";
import type { PodSecurityContext, SecurityContext, TopologySpreadConstraint } from "kubernetes-types/core/v1";
import type { Foundation, ObjectStore } from "../../platform/contract";

export const releaseName = "airbyte";
/** The chart's service account (global.serviceAccountName). The AWS foundation binds the Airbyte
 *  role to exactly this name in the Airbyte namespace; sync job pods run under it too. */
export const serviceAccountName = "airbyte-admin";
/** Database the platform's db-init job creates for Airbyte (store property `database`). */
export const databaseName = "airbyte";

/** Selector labels the chart gives a component: its template folder without "airbyte-". */
export function podLabels(component: Component): Record<string, string> {
  return { "app.kubernetes.io/name": component, "app.kubernetes.io/instance": releaseName };
}
export type Component =
  "server" | "worker" | "workload-launcher" | "workload-api-server" | "cron" | "temporal" | "manifest-server";

/** The v2 chart serves the UI and the API from airbyte-server (its Ingress accepts no other backend). */
export const serverService = {
  name: `${releaseName}-airbyte-server-svc`,
  port: 8001,
  targetPort: 8001,
  healthPath: "/api/v1/health",
} as const;
/** Deployments named by the chart as <release>-<component>. */
export const deploymentName = (component: Component) => `${releaseName}-${component}`;

/** Kubernetes Secrets the construct has external-secrets create, and the keys the chart reads. */
export const secretNames = {
  database: "airbyte-database-credentials",
  auth: "airbyte-auth-bootstrap",
  storage: "airbyte-storage-credentials",
} as const;
export const databaseKeys = {
  user: "DATABASE_USER",
  password: "DATABASE_PASSWORD",
  temporalUser: "TEMPORAL_DATABASE_USER",
  temporalPassword: "TEMPORAL_DATABASE_PASSWORD",
} as const;
export const storageKeys = { accessKey: "AWS_ACCESS_KEY_ID", secretKey: "AWS_SECRET_ACCESS_KEY" } as const;
/** Keys the bootloader reads from the auth bootstrap Secret (all four are required references). */
export const authKeys = {
  password: "AB_INSTANCE_ADMIN_PASSWORD",
  clientId: "AB_INSTANCE_ADMIN_CLIENT_ID",
  clientSecret: "AB_INSTANCE_ADMIN_CLIENT_SECRET",
  jwt: "AB_JWT_SIGNATURE_SECRET",
} as const;

type Resources = { requests: { cpu: string; memory: string }; limits: { memory: string } };
/** The chart's probe knobs: on or off and the timing; the handler is the chart's. */
type Probe = { enabled: boolean } & ProbeTiming;
interface ComponentValues {
  enabled?: boolean;
  replicaCount?: number;
  /** worker: sync workflows one replica runs at once (MAX_SYNC_WORKERS). */
  maxSyncWorkers?: number;
  /** workload-launcher: jobs claimed and started at once (WORKLOAD_LAUNCHER_PARALLELISM). */
  parallelism?: number;
  resources: Resources;
  podSecurityContext: PodSecurityContext;
  containerSecurityContext: Partial<SecurityContext>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  affinity?: object;
  topologySpreadConstraints?: TopologySpreadConstraint[];
  deploymentStrategyType?: "Recreate" | "RollingUpdate";
}
type Storage =
  | {
      type: "s3";
      secretName?: string;
      bucket: Buckets;
      s3: { region: string; authenticationType: "instanceProfile" | "credentials" };
    }
  | { type: "minio"; secretName: string; bucket: Buckets; minio: { endpoint: string; s3PathStyleAccess?: boolean } };
type Buckets = Record<"log" | "state" | "workloadOutput" | "activityPayload" | "auditLogging", string>;

export interface AirbyteValues {
  global: {
    serviceAccountName: string;
    edition: "community";
    airbyteUrl: string;
    auth: { enabled: true; secretName: string };
    database: {
      type: "external";
      secretName: string;
      host: string;
      port: number;
      name: string;
      userSecretKey: string;
      passwordSecretKey: string;
      replica: { userSecretKey: string; passwordSecretKey: string };
    };
    storage: Storage;
    workloads: {
      namespace: string;
      resources: { mainContainer: { cpu: { request: string }; memory: { request: string; limit: string } } };
    };
    tracking: { enabled: boolean };
    /** Sync and check pods, launched by the workload launcher: where they may run. */
    jobs?: { kube: { tolerations: object[] } };
  };
  serviceAccount: { create: true; name: string };
  postgresql: { enabled: false };
  minio: { enabled: false };
  webapp: { enabled: false };
  server: ComponentValues;
  worker: ComponentValues;
  workloadLauncher: ComponentValues;
  workloadApiServer: ComponentValues;
  cron: ComponentValues;
  manifestServer: ComponentValues;
  temporal: ComponentValues & { database: { userSecretKey: string; passwordSecretKey: string } };
  airbyteBootloader: Omit<ComponentValues, "replicaCount">;
}

export interface AirbyteValuesInput {
  readonly foundation: Foundation;
  readonly namespace: string;
  readonly host: string;
  readonly serverReplicas: number;
  readonly workerReplicas: number;
  /** Syncs one worker replica runs at once (its Temporal sync workflows). */
  readonly syncsPerWorker: number;
  /** Jobs the workload launcher claims and starts at once. */
  readonly launcherParallelism: number;
  /** Bucket for Airbyte's own logs, state and payloads. */
  readonly bucket: string;
}

// Every Airbyte image runs as uid/gid 1000 (the chart's defaults), without privilege escalation or
// capabilities. Built fresh for each component so the serialized YAML carries no anchors or aliases.
const podSecurityContext = () => restrictedPodSecurity({ uid: 1000, fsGroup: 1000 });
const containerSecurityContext = () =>
  inChartOrder(
    restrictedContainerSecurity({
      uid: 1000,
      writableRootFilesystem: {
        because:
          "the JVMs and Temporal's auto-setup write config and temp files into the image, and the chart mounts no volumes for them",
      },
      seccomp: true,
    }),
    [
      "allowPrivilegeEscalation",
      "runAsNonRoot",
      "runAsUser",
      "runAsGroup",
      "readOnlyRootFilesystem",
      "capabilities",
      "seccompProfile",
    ],
  );
// Requests sized from the chart's documented minimums; memory is limited, CPU is not (no throttling
// of bursty JVMs; the requests reserve what they need).
const resources = (cpu: string, memory: string, memoryLimit: string): Resources => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});
const probes = (initialDelaySeconds: number, timeoutSeconds: number) => ({
  livenessProbe: {
    enabled: true,
    initialDelaySeconds: initialDelaySeconds + 30,
    periodSeconds: 10,
    timeoutSeconds,
    failureThreshold: 6,
    successThreshold: 1,
  },
  readinessProbe: {
    enabled: true,
    initialDelaySeconds,
    periodSeconds: 10,
    timeoutSeconds,
    failureThreshold: 3,
    successThreshold: 1,
  },
});

/** Soft zone anti-affinity: the only spreading knob most of the chart's components offer. */
function zoneAffinity(component: Component) {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: { topologyKey: zoneTopologyKey, labelSelector: { matchLabels: podLabels(component) } },
        },
      ],
    },
  };
}

function component(
  name: Component,
  spread: boolean,
  values: Omit<ComponentValues, "podSecurityContext" | "containerSecurityContext">,
): ComponentValues {
  return {
    ...values,
    podSecurityContext: podSecurityContext(),
    containerSecurityContext: containerSecurityContext(),
    ...(spread ? { affinity: zoneAffinity(name) } : {}),
  };
}

/** Airbyte's logs, state and payloads live under its own prefixes (job-logging/, state/,
 *  workload/, activity-payloads/, audit-logging/) of one bucket. */
function storage(store: ObjectStore, bucket: string): Storage {
  const buckets: Buckets = {
    log: bucket,
    state: bucket,
    workloadOutput: bucket,
    activityPayload: bucket,
    auditLogging: bucket,
  };
  // Pod role (EKS Pod Identity / IRSA): the SDK's default chain. The chart still references
  // AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in every pod; with storage.secretName unset they
  // resolve to the empty keys of the chart's own Secret, so no credential is written anywhere.
  if (store.access.kind === "serviceAccountRole")
    return { type: "s3", bucket: buckets, s3: { region: store.region, authenticationType: "instanceProfile" } };
  // Static keys against AWS S3 itself: the s3 type signs for the store's region.
  if (/\.amazonaws\.com(\.cn)?\/?$/.test(store.endpoint)) {
    return {
      type: "s3",
      secretName: secretNames.storage,
      bucket: buckets,
      s3: { region: store.region, authenticationType: "credentials" },
    };
  }
  // Any other S3-compatible endpoint (MinIO): the chart's s3 type has no endpoint setting; its
  // "minio" type is the S3 client with an endpoint override (it signs for us-east-1, which MinIO
  // accepts unless a region is configured on it).
  return {
    type: "minio",
    secretName: secretNames.storage,
    bucket: buckets,
    minio: { endpoint: store.endpoint, ...(store.pathStyle ? {} : { s3PathStyleAccess: false }) },
  };
}

export function airbyteValues(input: AirbyteValuesInput): AirbyteValues {
  const foundation = input.foundation;
  const spread = foundation.zoneSpread;
  const serverSpread = spread
    ? {
        topologySpreadConstraints: [
          spreadAcross("zone", podLabels("server"), {
            whenUnsatisfiable: "DoNotSchedule",
            matchLabelKeys: ["pod-template-hash"],
          }),
          spreadAcross("host", podLabels("server"), {
            whenUnsatisfiable: "ScheduleAnyway",
            matchLabelKeys: ["pod-template-hash"],
          }),
        ],
      }
    : {};
  return {
    global: {
      serviceAccountName,
      edition: "community",
      airbyteUrl: `https://${input.host}`,
      // The bootloader seeds the managed `airbyte-auth-secrets` from this Secret: the admin password
      // from the platform store; client id/secret and JWT key left empty are generated once and kept.
      auth: { enabled: true, secretName: secretNames.auth },
      database: {
        type: "external",
        secretName: secretNames.database,
        host: foundation.postgres.host,
        port: foundation.postgres.port,
        name: databaseName,
        userSecretKey: databaseKeys.user,
        passwordSecretKey: databaseKeys.password,
        // The chart also references replica credentials in the same Secret; no replica: the primary's.
        replica: { userSecretKey: databaseKeys.user, passwordSecretKey: databaseKeys.password },
      },
      storage: storage(foundation.objectStore, input.bucket),
      // 2.2.0 launches job pods in the launcher's own namespace (JOB_KUBE_NAMESPACE from the pod's
      // metadata) under global.serviceAccountName; this key is kept aligned for charts that read it.
      workloads: {
        namespace: input.namespace,
        resources: { mainContainer: { cpu: { request: "250m" }, memory: { request: "512Mi", limit: "2Gi" } } },
      },
      // No usage telemetry leaves the platform.
      tracking: { enabled: false },
      // Sync pods are retried by Airbyte when interrupted: they may run on spot capacity. The chart
      // has no affinity for job pods, so they tolerate those nodes without preferring them.
      ...(foundation.interruptible
        ? { jobs: { kube: { tolerations: toleratesInterruption(foundation.interruptible).tolerations! } } }
        : {}),
    },
    serviceAccount: { create: true, name: serviceAccountName },
    postgresql: { enabled: false },
    minio: { enabled: false },
    // The standalone webapp is the v1 layout; in v2 the server serves the UI.
    webapp: { enabled: false },
    server: component("server", false, {
      replicaCount: input.serverReplicas,
      // The chart defaults to Recreate for a local storage volume; with S3 a rolling update keeps the UI up.
      deploymentStrategyType: "RollingUpdate",
      resources: resources("500m", "1Gi", "2Gi"),
      ...probes(30, 10),
      ...serverSpread,
    }),
    worker: component("worker", spread, {
      replicaCount: input.workerReplicas,
      maxSyncWorkers: input.syncsPerWorker,
      resources: resources("500m", "1Gi", "2Gi"),
      ...probes(30, 5),
    }),
    workloadLauncher: component("workload-launcher", spread, {
      replicaCount: 1,
      parallelism: input.launcherParallelism,
      resources: resources("250m", "512Mi", "1Gi"),
      ...probes(30, 5),
    }),
    // On the request path of every running sync: as many as the server.
    workloadApiServer: component("workload-api-server", spread, {
      replicaCount: input.serverReplicas,
      resources: resources("250m", "512Mi", "1Gi"),
      ...probes(20, 5),
    }),
    // Scheduler of periodic maintenance: one replica by design; its template renders no probes.
    cron: component("cron", spread, { replicaCount: 1, resources: resources("100m", "512Mi", "1Gi") }),
    manifestServer: component("manifest-server", spread, {
      replicaCount: 1,
      resources: resources("100m", "256Mi", "512Mi"),
      ...probes(30, 10),
    }),
    // Temporal's auto-setup migrates its schemas at start: one replica. Its databases (temporal and
    // temporal_visibility) are created by auto-setup with the temporal role, which the platform's
    // db-init job grants CREATEDB. The chart's only probe knob is `enabled` (no delays), so liveness
    // stays off (it would kill the pod during a first-time schema setup); readiness is on.
    temporal: {
      ...component("temporal", spread, {
        replicaCount: 1,
        resources: resources("500m", "1Gi", "2Gi"),
        readinessProbe: { enabled: true },
      }),
      database: { userSecretKey: databaseKeys.temporalUser, passwordSecretKey: databaseKeys.temporalPassword },
    },
    airbyteBootloader: {
      resources: resources("250m", "512Mi", "1Gi"),
      podSecurityContext: podSecurityContext(),
      containerSecurityContext: containerSecurityContext(),
    },
  };
}

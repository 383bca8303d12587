// A MinIO tenant through the operator's `tenant` chart: the S3 stand-in of plain clusters. It
// creates the lake buckets natively (tenant.buckets) and the application user from a Secret
// (tenant.users); root credentials come from the platform secret store through an ExternalSecret.
//
// Facts checked against operator v7.1.1 (the chart's appVersion):
// - The S3 API Service is always named "minio" (Tenant.MinIOCIServiceName, "DO NOT CHANGE"): port
//   80 named "http-minio" -> container port 9000 without TLS (443 with TLS).
// - Users listed in tenant.users get the `consoleAdmin` policy.
// - The operator creates no PodDisruptionBudget for tenants; this construct adds one.
// - Each pod runs a sidecar that watches the tenant's Secret and Tenant through the API server.
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { Construct } from "constructs";
import { lakeZones, type SecretRef } from "../../platform/contract";
import { ExternalSecret } from "../external-secret";
import { HelmChart } from "../helm-chart";
import { PlatformNamespace } from "../platform-namespace";
import {
  httpProbe,
  inChartOrder,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  spreadAcross,
  type Because,
  type ProbeTiming,
} from "../pod-hardening";
import { storageClassNames } from "../storage-classes";
import type { ChartWorkloadProps } from "./types";

export interface MinioTenantProps extends ChartWorkloadProps {
  readonly servers: number;
  readonly volumesPerServer: number;
  readonly volumeSizeGiB: number;
  /** MinIO server image, pinned by digest (`repo:tag@sha256:...`): no new community image will
   *  ever be published, and the public copies are being withdrawn. */
  readonly image: string;
  /** Storage class of the drives. @default standard */
  readonly storageClass?: string;
  /** Where the root user's name and password live in the platform secret store. */
  readonly rootUser: SecretRef;
  readonly rootPassword: SecretRef;
  /** Requests of each MinIO server (memory is also the limit). @default 250m CPU, 1Gi memory */
  readonly resources?: { readonly cpu: string; readonly memory: string };
  /** Namespace of the MinIO operator. @default minio-operator */
  readonly operatorNamespace?: string;
  /** Extra environment of the MinIO servers (no secrets: those come from configSecret). @default none */
  readonly env?: readonly { readonly name: string; readonly value: string }[];
}

export const minioTenantName = "minio";
/** Port of the S3 API inside the pods (the Service listens on 80). */
export const minioApiPort = 9000;
/** The operator's STS endpoint. */
const operatorStsPort = 4223;
// MinIO is not yet proven on a read-only root file system; the chart's default context leaves it writable.
const minioWritableRoot: Because = {
  because: "MinIO on a read-only root is unverified; the tenant chart's default leaves it writable",
};

export class MinioTenant extends Construct {
  readonly namespace: PlatformNamespace;
  readonly chart: HelmChart;
  /** S3 endpoint for in-cluster clients (plain HTTP, path-style). */
  readonly endpoint: string;
  readonly serviceName = "minio";
  readonly servicePort = 80;
  readonly targetPort = minioApiPort;
  readonly podLabels: Record<string, string>;
  /** Secret holding `config.env` with the root credentials. */
  readonly configSecret: string;
  /** Secret of the applications' lake user (CONSOLE_ACCESS_KEY / CONSOLE_SECRET_KEY), when the
   *  foundation hands out credentials. */
  readonly lakeUserSecret?: string;
  readonly buckets: readonly string[];

  constructor(scope: Construct, id: string, props: MinioTenantProps) {
    super(scope, id);
    const { foundation, namespace: ns } = props;
    const drives = props.servers * props.volumesPerServer;
    // Erasure coding needs at least 4 drives in the pool (servers x volumesPerServer); exactly one
    // drive runs MinIO in single-drive mode, without redundancy (a development set-up only).
    if (drives !== 1 && drives < 4) {
      throw new Error(
        `MinioTenant: servers x volumesPerServer must be >= 4 for erasure coding, or exactly 1 (got ${drives})`,
      );
    }
    const { repository, tag } = splitDigestPinnedImage(props.image);

    this.endpoint = `http://${this.serviceName}.${ns}.svc.cluster.local`;
    this.podLabels = { "v1.min.io/tenant": minioTenantName };
    this.configSecret = `${minioTenantName}-env-configuration`;
    this.buckets = [
      ...lakeZones.map((zone) => foundation.objectStore.buckets[zone]),
      foundation.objectStore.airbyteBucket,
      foundation.objectStore.platformBucket,
    ];

    this.namespace = new PlatformNamespace(this, "ns", { name: ns });
    const secretDeps = [this.namespace.namespace, ...(props.dependsOn ?? [])];

    const root = new ExternalSecret(this, "root", {
      namespace: ns,
      secretName: this.configSecret,
      data: { rootUser: props.rootUser, rootPassword: props.rootPassword },
      // The tenant reads its environment from a `config.env` of export lines.
      template: {
        "config.env": 'export MINIO_ROOT_USER="{{ .rootUser }}"\nexport MINIO_ROOT_PASSWORD="{{ .rootPassword }}"\n',
      },
      dependsOn: secretDeps,
    });

    const secrets = [root.manifest];
    const access = foundation.objectStore.access;
    if (access.kind === "credentialsSecret") {
      const user = new ExternalSecret(this, "lake-user", {
        namespace: ns,
        secretName: `${minioTenantName}-lake-user`,
        data: { CONSOLE_ACCESS_KEY: access.accessKey, CONSOLE_SECRET_KEY: access.secretKey },
        dependsOn: secretDeps,
      });
      this.lakeUserSecret = user.secretName;
      secrets.push(user.manifest);
    }

    const poolName = "pool-0";
    const resources = props.resources ?? { cpu: "250m", memory: "1Gi" };
    const probe = (path: string, extra: ProbeTiming = {}) =>
      httpProbe(path, minioApiPort, { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, ...extra }, "HTTP");

    this.chart = new HelmChart(this, "chart", {
      releaseName: "minio",
      namespace: ns,
      source: props.chart,
      // The release owns the data store's custom resource: uninstalling it deletes the store.
      preventDestroy: props.foundation.protect,
      values: {
        tenant: {
          name: minioTenantName,
          // The chart renders "<repository>:<tag>", so the tag carries the digest too.
          image: { repository, tag, pullPolicy: "IfNotPresent" },
          // Root credentials from the ExternalSecret above; the chart creates no Secret.
          configSecret: { name: this.configSecret, existingSecret: true },
          ...(props.env?.length ? { env: props.env.map((envVar) => ({ ...envVar })) } : {}),
          pools: [
            {
              name: poolName,
              servers: props.servers,
              volumesPerServer: props.volumesPerServer,
              size: `${props.volumeSizeGiB}Gi`,
              storageClassName: props.storageClass ?? storageClassNames.standard,
              resources: {
                requests: { cpu: resources.cpu, memory: resources.memory },
                limits: { memory: resources.memory },
              },
              // Non-root with the restricted profile (the chart's defaults, stated explicitly, in its order).
              securityContext: inChartOrder(
                restrictedPodSecurity({ uid: 1000, fsGroup: 1000, fsGroupChangePolicy: "OnRootMismatch" }),
                ["runAsUser", "runAsGroup", "fsGroup", "fsGroupChangePolicy", "runAsNonRoot", "seccompProfile"],
              ),
              containerSecurityContext: inChartOrder(
                restrictedContainerSecurity({ uid: 1000, writableRootFilesystem: minioWritableRoot, seccomp: true }),
                [
                  "runAsUser",
                  "runAsGroup",
                  "runAsNonRoot",
                  "allowPrivilegeEscalation",
                  "capabilities",
                  "seccompProfile",
                ],
                // Unset (false) in the chart's defaults, and left so: stating it changes the release's values.
                ["readOnlyRootFilesystem"],
              ),
              topologySpreadConstraints: foundation.zoneSpread
                ? [
                    spreadAcross(
                      "zone",
                      { ...this.podLabels, "v1.min.io/pool": poolName },
                      { whenUnsatisfiable: "DoNotSchedule" },
                    ),
                  ]
                : [],
            },
          ],
          // TLS off: in-cluster plain HTTP, enough for a development cluster. A production plain
          // cluster should issue a certificate with cert-manager for minio.<ns>.svc(.cluster.local)
          // and *.minio-hl.<ns>.svc.cluster.local, pass it in certificate.externalCertSecret, give
          // the operator and clients its CA, and move the endpoint to https.
          certificate: { requestAutoCert: false },
          buckets: this.buckets.map((name) => ({ name, region: foundation.objectStore.region })),
          users: this.lakeUserSecret ? [{ name: this.lakeUserSecret }] : [],
          // MinIO's own health endpoints (the operator sets no probes on the server container).
          liveness: probe("/minio/health/live", { initialDelaySeconds: 10 }),
          readiness: probe("/minio/health/ready", { initialDelaySeconds: 5 }),
          startup: probe("/minio/health/live", { failureThreshold: 30 }),
          metrics: { enabled: false },
        },
      },
      dependsOn: [this.namespace.namespace, ...secrets],
    });

    // Servers leave one at a time on voluntary disruptions (node drains), within erasure parity.
    if (props.servers > 1) {
      new PodDisruptionBudgetV1(this, "pdb", {
        metadata: { name: minioTenantName, namespace: ns },
        spec: { maxUnavailable: "1", selector: { matchLabels: this.podLabels } },
        dependsOn: [this.namespace.namespace],
      });
    }

    const operatorNs = props.operatorNamespace ?? "minio-operator";
    // Object store clients live in any namespace of the cluster.
    this.namespace.allowIngressFrom(
      "s3-clients",
      { kind: "namespace", namespace: "*", ports: [minioApiPort] },
      this.podLabels,
    );
    // The operator provisions buckets and users and checks health through the S3/admin API.
    this.namespace.allowIngressFrom(
      "operator",
      { kind: "namespace", namespace: operatorNs, ports: [minioApiPort] },
      this.podLabels,
    );
    this.namespace.allowEgressTo(
      "operator-sts",
      { kind: "namespace", namespace: operatorNs, ports: [operatorStsPort] },
      this.podLabels,
    );
    // The sidecar and its init container read the Tenant and its Secret from the API server.
    this.namespace.allowEgressTo("api-server", foundation.apiServer, this.podLabels);
  }
}

/** Splits `repo[:tag]@sha256:<hex>` into the chart's repository and tag; refuses tags without a digest. */
export function splitDigestPinnedImage(image: string): { repository: string; tag: string } {
  const at = image.indexOf("@sha256:");
  if (at < 0 || !/^[0-9a-f]{64}$/.test(image.slice(at + 8))) {
    throw new Error(`MinioTenant: image must be pinned by digest (repo:tag@sha256:<64 hex>), got ${image}`);
  }
  const name = image.slice(0, at);
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/"))
    return { repository: name.slice(0, colon), tag: `${name.slice(colon + 1)}${image.slice(at)}` };
  // No tag: "<repository>@sha256" + ":" + "<hex>" renders the digest reference.
  return { repository: `${name}@sha256`, tag: image.slice(at + 8) };
}

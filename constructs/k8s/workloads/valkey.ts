// Valkey as the cache, Celery broker and results backend of one product (the Superset operator
// only points at a server; it does not run one). Plain Kubernetes manifests, no chart.
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { typedManifest } from "../manifest-types";
import type { SecretRef } from "../../platform/contract";
import { resources } from "../addons/common";
import { execProbe, restrictedContainerSecurity, restrictedPodSecurity } from "../pod-hardening";
import { ExternalSecret } from "../external-secret";
import { mebibytes } from "../../../lib/quantity";

export interface ValkeyProps {
  readonly namespace: string;
  /** Deployment, Service and Secret name prefix. @default valkey */
  readonly name?: string;
  /** Pinned image, e.g. versions.images.valkey. */
  readonly image: string;
  /** Where the password lives in the platform secret store (never a value). */
  readonly password: SecretRef;
  /** Memory request and limit; `maxmemory` is set to 75% of it so eviction happens before the OOM killer.
   *  @default 512 */
  readonly memoryMi?: number;
  /** CPU request. @default 100m */
  readonly cpu?: string;
  /** What the ExternalSecret, Deployment and Service wait for. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

// The official image's `valkey` user (uid 999, group 1000 in the alpine variant).
const valkeyUid = 999;
const valkeyGid = 1000;
const port = 6379;

/**
 * One Valkey instance: a single-replica Deployment (strategy Recreate, so a rollout never runs two
 * brokers that split the Celery queue), a ClusterIP Service, and its password synced from the secret
 * store into a Secret that both Valkey and its clients read.
 *
 * Trade-off: one replica and no persistence. Valkey holds caches (rebuilt on demand), Celery's
 * queue and async query results: a restart drops queued tasks and pending results, which users see
 * as a failed async query or a skipped report run, never data loss in the metastore. A replicated
 * setup (Sentinel) is worth it only once reports become business-critical.
 */
export class Valkey extends Construct {
  readonly host: string;
  readonly port = port;
  /** The Secret and key holding the password, for clients' `passwordFrom`. */
  readonly passwordSecret: { readonly name: string; readonly key: string };
  readonly podLabels: Record<string, string>;
  readonly deployment: Manifest;
  readonly service: Manifest;

  constructor(scope: Construct, id: string, props: ValkeyProps) {
    super(scope, id);
    const name = props.name ?? "valkey";
    const memoryMi = props.memoryMi ?? 512;
    this.podLabels = { "app.kubernetes.io/name": "valkey", "app.kubernetes.io/instance": name };
    this.host = `${name}.${props.namespace}.svc.cluster.local`;

    const secret = new ExternalSecret(this, "password", {
      namespace: props.namespace,
      secretName: `${name}-password`,
      data: { password: props.password },
      dependsOn: props.dependsOn,
    });
    this.passwordSecret = { name: secret.secretName, key: "password" };
    const fromSecret = (env: string) => ({
      name: env,
      valueFrom: { secretKeyRef: { name: secret.secretName, key: "password" } },
    });

    // The password reaches the server through the environment: the pod spec holds only the
    // variable's name. No persistence (cache and broker), eviction limited to keys with a TTL
    // (Superset's caches) so Celery's queue, which has none, is never evicted.
    const server = [
      "exec valkey-server",
      `--port ${port}`,
      '--requirepass "$VALKEY_PASSWORD"',
      "--dir /data",
      "--save ''",
      "--appendonly no",
      `--maxmemory ${Math.floor(memoryMi * 0.75)}mb`,
      "--maxmemory-policy volatile-lru",
    ].join(" ");
    // valkey-cli reads REDISCLI_AUTH: the probe never puts the password on a command line.
    const ping = ["sh", "-c", "valkey-cli -h 127.0.0.1 -p " + port + " ping | grep -q PONG"];

    this.deployment = typedManifest(this, "deployment", {
      manifest: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: props.namespace, labels: this.podLabels },
        spec: {
          replicas: 1,
          strategy: { type: "Recreate" },
          revisionHistoryLimit: 3,
          selector: { matchLabels: this.podLabels },
          template: {
            metadata: { labels: this.podLabels },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: restrictedPodSecurity({ uid: valkeyUid, gid: valkeyGid, fsGroup: valkeyGid }),
              containers: [
                {
                  name: "valkey",
                  image: props.image,
                  command: ["sh", "-c", server],
                  env: [fromSecret("VALKEY_PASSWORD"), fromSecret("REDISCLI_AUTH")],
                  ports: [{ name: "valkey", containerPort: port, protocol: "TCP" }],
                  resources: resources(props.cpu ?? "100m", mebibytes(memoryMi)),
                  securityContext: restrictedContainerSecurity({ uid: valkeyUid, gid: valkeyGid }),
                  readinessProbe: execProbe(ping, {
                    initialDelaySeconds: 5,
                    periodSeconds: 10,
                    timeoutSeconds: 3,
                    failureThreshold: 3,
                  }),
                  livenessProbe: execProbe(ping, {
                    initialDelaySeconds: 15,
                    periodSeconds: 20,
                    timeoutSeconds: 5,
                    failureThreshold: 3,
                  }),
                  volumeMounts: [{ name: "data", mountPath: "/data" }],
                },
              ],
              volumes: [{ name: "data", emptyDir: { sizeLimit: "64Mi" } }],
            },
          },
        },
      },
      wait: { rollout: true },
      dependsOn: [secret.manifest],
    });

    this.service = typedManifest(this, "service", {
      manifest: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: props.namespace, labels: this.podLabels },
        spec: {
          type: "ClusterIP",
          selector: this.podLabels,
          ports: [{ name: "valkey", port, targetPort: "valkey", protocol: "TCP" }],
        },
      },
      dependsOn: props.dependsOn,
    });
  }
}

// The Foundation contract on a plain cluster: in-cluster PostgreSQL (CloudNativePG), MinIO for
// the lake, a cert-manager CA for TLS and secrets generated inside the cluster.
import type { LocalEnvironment } from "../config/schema";
import { appDatabases, generatedSecrets, lakeZones, type Foundation } from "../constructs/platform/contract";

/** Namespaces and names of the in-cluster data services (shared with the apps stack). */
export const inCluster = {
  secretsNamespace: "odp-secrets",
  postgres: { namespace: "postgres", release: "postgres" },
  minio: { namespace: "minio", release: "minio" },
  gatewayNamespace: "envoy-gateway-system",
  clusterIssuer: "platform-ca",
} as const;

export function localFoundation(env: LocalEnvironment): Foundation {
  const pg = inCluster.postgres;
  // With the pooler on, applications connect through PgBouncer; the chart names it <release>-pooler-rw.
  const pgHost = env.postgres.pooler
    ? `${pg.release}-pooler-rw.${pg.namespace}.svc.cluster.local`
    : `${pg.release}-rw.${pg.namespace}.svc.cluster.local`;
  return {
    cluster: { kind: "kubeconfig", path: env.cluster.kubeconfigPath, context: env.cluster.context },
    domain: env.domain,
    postgres: {
      host: pgHost,
      primaryHost: `${pg.release}-rw.${pg.namespace}.svc.cluster.local`,
      port: 5432,
      admin: {
        username: { key: "postgres-admin", property: "username" },
        password: { key: "postgres-admin", property: "password" },
      },
      appSecretKeys: Object.fromEntries(
        appDatabases.map((app) => [app, `postgres-${app}`]),
      ) as Foundation["postgres"]["appSecretKeys"],
      network: { kind: "namespace", namespace: pg.namespace, ports: [5432] },
    },
    objectStore: {
      endpoint: `http://minio.${inCluster.minio.namespace}.svc.cluster.local`,
      region: "us-east-1",
      buckets: Object.fromEntries(lakeZones.map((zone) => [zone, zone])) as Foundation["objectStore"]["buckets"],
      airbyteBucket: "airbyte",
      platformBucket: "platform",
      pathStyle: true,
      access: {
        kind: "credentialsSecret",
        accessKey: { key: "minio-lake", property: "accessKey" },
        secretKey: { key: "minio-lake", property: "secretKey" },
      },
      network: { kind: "namespace", namespace: inCluster.minio.namespace, ports: [9000] },
    },
    secretStore: { kind: "kubernetes", namespace: inCluster.secretsNamespace },
    secretKeys: Object.fromEntries(generatedSecrets.map((secret) => [secret, secret])) as Foundation["secretKeys"],
    tls: { kind: "gateway", clusterIssuer: inCluster.clusterIssuer },
    ingressSource: { kind: "namespace", namespace: inCluster.gatewayNamespace, ports: [] },
    // kind, k3d and minikube serve the API on the node's address (6443, or 443 via the service).
    apiServer: { kind: "cidrs", cidrs: ["0.0.0.0/0"], ports: [443, 6443] },
    // kind, k3d and minikube create their own default class at start: a second `standard` would
    // collide with kind's and minikube's, and two defaults leave unnamed claims to chance.
    storage: { provisioner: env.cluster.storageProvisioner, defaultClass: "cluster" },
    zoneSpread: false,
    protect: env.isProtected,
  };
}

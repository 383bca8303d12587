// The Foundation contract: the one small interface that add-ons and workloads depend on. Two
// implementations build it (stacks/foundation-aws.ts from the AWS foundation, stacks/foundation-local.ts
// for a plain cluster); a third cloud is one more implementation, not an edit of every workload.

/** The lake's zones, declared here once: the configuration's `lake.zones`, the buckets and every
 *  workload that reads the lake take them from this list. */
export const lakeZones = ["bronze", "silver", "gold"] as const;
export type LakeZoneName = (typeof lakeZones)[number];

/** How the Kubernetes and Helm providers reach the cluster. */
export type ClusterConnection =
  | { readonly kind: "eks"; readonly clusterName: string; readonly region: string }
  | { readonly kind: "kubeconfig"; readonly path: string; readonly context: string };

/** A key in the platform's secret store, read into Kubernetes by external-secrets. */
export interface SecretRef {
  /** Key in the store (AWS: the secret's name; in-cluster: the source Secret's name). */
  readonly key: string;
  /** JSON property (AWS) or data key (in-cluster) holding the value. */
  readonly property: string;
}

export interface PostgresEndpoint {
  /** Where applications connect (a connection pooler when there is one). */
  readonly host: string;
  /** The primary itself, for administration and migrations (same as host without a pooler). */
  readonly primaryHost: string;
  readonly port: number;
  /** Credentials of the administrative role that creates application databases and roles;
   *  absent while the database is a read-only replica (a standby before failover). */
  readonly admin?: { readonly username: SecretRef; readonly password: SecretRef };
  /** Store key of each application's credentials: properties username, password, database. */
  readonly appSecretKeys: Readonly<Record<AppDatabase, string>>;
  /** Where 5432 lives, for network policies: a namespace selector or CIDRs. */
  readonly network: NetworkPeer;
}

export type ObjectStoreAccess =
  | { readonly kind: "serviceAccountRole" }
  | { readonly kind: "credentialsSecret"; readonly accessKey: SecretRef; readonly secretKey: SecretRef };

export interface ObjectStore {
  /** S3 API endpoint, e.g. https://s3.us-east-1.amazonaws.com or http://minio.minio.svc.cluster.local */
  readonly endpoint: string;
  readonly region: string;
  readonly buckets: Readonly<Record<LakeZoneName, string>>;
  /** Airbyte's own bucket for its logs, state and payloads, apart from the lake's zones. */
  readonly airbyteBucket: string;
  /** The platform's own working files (Dremio's distributed storage, Elasticsearch's snapshots),
   *  apart from the lake's zones, whose contents a standby replicates whole. */
  readonly platformBucket: string;
  readonly pathStyle: boolean;
  readonly access: ObjectStoreAccess;
  readonly network: NetworkPeer;
}

/** A destination in network policies. */
export type NetworkPeer =
  | { readonly kind: "cidrs"; readonly cidrs: readonly string[]; readonly ports: readonly number[] }
  /** `namespace: "*"` is any namespace of the cluster. */
  | { readonly kind: "namespace"; readonly namespace: string; readonly ports: readonly number[] };

export type SecretStore =
  | { readonly kind: "aws-secrets-manager"; readonly region: string }
  | { readonly kind: "kubernetes"; readonly namespace: string };

export type Tls =
  /** One shared ALB terminates TLS with an ACM certificate. */
  | {
      readonly kind: "alb";
      readonly certificateArn: string;
      readonly accessLogBucket: string;
      readonly deletionProtection: boolean;
    }
  /** A Gateway terminates TLS with a certificate from a cert-manager issuer. */
  | { readonly kind: "gateway"; readonly clusterIssuer: string };

export interface Foundation {
  readonly cluster: ClusterConnection;
  readonly domain: string;
  readonly postgres: PostgresEndpoint;
  readonly objectStore: ObjectStore;
  readonly secretStore: SecretStore;
  /** Store keys of the workloads' generated secrets (property `password`), stable across deploys. */
  readonly secretKeys: Readonly<Record<GeneratedSecret, string>>;
  readonly tls: Tls;
  /** Where client traffic reaches workloads from: the ALB's subnets, or the gateway's namespace. */
  readonly ingressSource: NetworkPeer;
  /** The Kubernetes API server as seen from pods: operators call it, and it calls their webhooks. */
  readonly apiServer: NetworkPeer;
  /** Where pods fetch their service account role's credentials (the EKS Pod Identity agent on each
   *  node), and the namespaces whose service accounts have such a role: each of them must reach
   *  it. Absent where no agent runs (a plain cluster). */
  readonly podCredentials?: { readonly agent: NetworkPeer; readonly namespaces: readonly string[] };
  /** Storage provisioner and parameters for the platform's storage classes. */
  readonly storage: {
    readonly provisioner: string;
    readonly fastParameters?: Record<string, string>;
    readonly standardParameters?: Record<string, string>;
    /** Who owns the default StorageClass: the platform (`standard`, on EKS), or the cluster, whose
     *  own default (kind's and minikube's `standard`, k3d's `local-path`) is left alone. */
    readonly defaultClass: "platform" | "cluster";
  };
  /** Where Elasticsearch keeps snapshots on the lake, with the IAM role (IRSA, the only way the
   *  repository-s3 module documents) that the snapshot service account assumes; absent without S3. */
  readonly snapshots?: {
    readonly bucket: string;
    readonly basePath: string;
    readonly roleArn: string;
    readonly region: string;
    /** Other clusters' repositories replicated into the bucket, registered read-only (a standby
     *  restores its source's indices from them after a failover): repository name -> base path. */
    readonly readOnly?: Readonly<Record<string, string>>;
  };
  /** Spread replicas across zones (multi-AZ clusters). */
  readonly zoneSpread: boolean;
  /** Nodes for stateless work that survives interruption (Karpenter's spot pool on EKS): their
   *  taint, which such pods tolerate, and label, which they prefer. Absent where nodes are alike. */
  readonly interruptible?: { readonly key: string; readonly value: string };
  /** Protected tiers keep volumes (Retain) and block deletion. */
  readonly protect: boolean;
}

/** Secrets generated once per environment and kept in its secret store (property `password`). */
export const generatedSecrets = [
  "superset-secret-key",
  "superset-admin",
  "superset-valkey",
  "airbyte-admin",
  // Dremio's first administrator, and the service users dbt and Superset query it as.
  "dremio-admin",
  "dremio-dbt",
  "dremio-superset",
  // Grafana's admin (monitoring), and the Elasticsearch user Fluent Bit writes logs as.
  "grafana-admin",
  "logging-elasticsearch",
] as const;
export type GeneratedSecret = (typeof generatedSecrets)[number];

/**
 * Secrets a standby must share with its source rather than generate its own: data replicated from
 * the source was written with them. Superset encrypts the passwords of its database connections with
 * its SECRET_KEY, so a promoted standby with another key could not read them. The source's secret
 * is replicated into the standby's region by Secrets Manager; the standby reads that replica.
 */
export const sharedWithStandby: readonly GeneratedSecret[] = ["superset-secret-key"];

/** Application databases on the environment's PostgreSQL, each with its own role and secret
 *  (properties username, password, database). */
export const appDatabases = ["airbyte", "temporal", "superset"] as const;
export type AppDatabase = (typeof appDatabases)[number];

/** Name of the ClusterSecretStore every ExternalSecret reads from. */
export const platformSecretStore = "platform-secrets";

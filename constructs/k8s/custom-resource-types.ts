// Custom resources written as kubernetes_manifest: no types package covers them, so these declare
// only the fields this project sets, as the pinned charts' CRDs define them (../shared/crds/<chart>).
// test/k8s/manifest-types.test.ts checks every one synthesized against its CRD.
import type {
  Affinity,
  EnvVar,
  PodSecurityContext,
  Probe,
  ResourceRequirements,
  SecurityContext,
  Taint,
  Toleration,
  TopologySpreadConstraint,
  Volume,
  VolumeMount,
} from "kubernetes-types/core/v1";
import type { ObjectMeta } from "kubernetes-types/meta/v1";

/** The fields every custom resource here sets. */
interface CustomResource<ApiVersion extends string, Kind extends string, Spec> {
  apiVersion: ApiVersion;
  kind: Kind;
  metadata: ObjectMeta;
  spec: Spec;
}

// ---- monitoring.coreos.com/v1 (kube-prometheus-stack 88.5.3) ------------------------------------

/** An endpoint of a ServiceMonitor (`endpoints[]`) or PodMonitor (`podMetricsEndpoints[]`). */
export interface ScrapeEndpoint {
  port?: string;
  targetPort?: number | string;
  path?: string;
  scheme?: "http" | "https" | "HTTP" | "HTTPS";
  interval?: string;
  scrapeTimeout?: string;
  authorization?: { type?: string; credentials?: { name?: string; key: string; optional?: boolean } };
}
interface MonitorSelection {
  selector: { matchLabels?: Record<string, string> };
  namespaceSelector?: { any?: boolean; matchNames?: string[] };
}
export type ServiceMonitor = CustomResource<
  "monitoring.coreos.com/v1",
  "ServiceMonitor",
  MonitorSelection & { endpoints: ScrapeEndpoint[] }
>;
export type PodMonitor = CustomResource<
  "monitoring.coreos.com/v1",
  "PodMonitor",
  MonitorSelection & { podMetricsEndpoints: ScrapeEndpoint[] }
>;

/** A rule of a PrometheusRule group: an alert or a recording rule. */
export interface PrometheusRuleRule {
  alert?: string;
  record?: string;
  expr: string | number;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export type PrometheusRule = CustomResource<
  "monitoring.coreos.com/v1",
  "PrometheusRule",
  { groups: { name: string; interval?: string; rules: PrometheusRuleRule[] }[] }
>;

// ---- external-secrets.io/v1, generators.external-secrets.io/v1alpha1 (external-secrets 2.9.0) ----

/** `provider` of a (Cluster)SecretStore: AWS Secrets Manager, or Secrets of a cluster namespace. */
export interface SecretStoreProvider {
  aws?: { service: "SecretsManager" | "ParameterStore"; region?: string };
  kubernetes?: {
    remoteNamespace?: string;
    server?: { caProvider?: { type: "Secret" | "ConfigMap"; name: string; key?: string; namespace?: string } };
    auth?: { serviceAccount?: { name: string; namespace?: string } };
  };
}
export type SecretStore = CustomResource<"external-secrets.io/v1", "SecretStore", { provider: SecretStoreProvider }>;
export type ClusterSecretStore = CustomResource<
  "external-secrets.io/v1",
  "ClusterSecretStore",
  { provider: SecretStoreProvider }
>;
export type ExternalSecret = CustomResource<
  "external-secrets.io/v1",
  "ExternalSecret",
  {
    refreshInterval?: string;
    secretStoreRef?: { kind?: "SecretStore" | "ClusterSecretStore"; name: string };
    target?: {
      name?: string;
      creationPolicy?: "Owner" | "Orphan" | "Merge" | "None" | "CreateOrMerge";
      deletionPolicy?: "Delete" | "Merge" | "Retain";
      template?: { engineVersion?: "v2"; mergePolicy?: "Replace" | "Merge"; data?: Record<string, string> };
    };
    data?: { secretKey: string; remoteRef: { key: string; property?: string } }[];
    dataFrom?: { sourceRef?: { generatorRef?: { apiVersion?: string; kind: string; name: string } } }[];
  }
>;
export type PasswordGenerator = CustomResource<
  "generators.external-secrets.io/v1alpha1",
  "Password",
  { length: number; digits?: number; symbols?: number; noUpper: boolean; allowRepeat: boolean }
>;

// ---- cert-manager.io/v1 (cert-manager v1.21.1) ----------------------------------------------------

export type Certificate = CustomResource<
  "cert-manager.io/v1",
  "Certificate",
  {
    secretName: string;
    issuerRef: { name: string; kind?: string; group?: string };
    isCA?: boolean;
    commonName?: string;
    dnsNames?: string[];
    duration?: string;
    renewBefore?: string;
    privateKey?: { algorithm?: "RSA" | "ECDSA" | "Ed25519"; size?: number; rotationPolicy?: "Never" | "Always" };
  }
>;
export type ClusterIssuer = CustomResource<
  "cert-manager.io/v1",
  "ClusterIssuer",
  { selfSigned?: Record<string, never>; ca?: { secretName: string } }
>;

// ---- gateway.networking.k8s.io/v1 (Gateway API, as Envoy Gateway v1.9.0 installs it) -------------

export type GatewayClass = CustomResource<"gateway.networking.k8s.io/v1", "GatewayClass", { controllerName: string }>;
export interface GatewayListener {
  name: string;
  protocol: string;
  port: number;
  hostname?: string;
  tls?: { mode?: "Terminate" | "Passthrough"; certificateRefs?: { kind?: string; name: string }[] };
  allowedRoutes?: { namespaces?: { from?: "All" | "Selector" | "Same" } };
}
export type Gateway = CustomResource<
  "gateway.networking.k8s.io/v1",
  "Gateway",
  { gatewayClassName: string; listeners: GatewayListener[] }
>;
export type HTTPRoute = CustomResource<
  "gateway.networking.k8s.io/v1",
  "HTTPRoute",
  {
    parentRefs?: { name: string; namespace?: string; sectionName?: string }[];
    hostnames?: string[];
    rules?: {
      matches?: { path?: { type?: "Exact" | "PathPrefix" | "RegularExpression"; value?: string } }[];
      filters?: {
        type: "RequestRedirect";
        requestRedirect: { scheme?: "http" | "https"; statusCode?: 301 | 302 | 303 | 307 | 308 };
      }[];
      backendRefs?: { name: string; port?: number }[];
    }[];
  }
>;

// ---- karpenter.sh/v1, karpenter.k8s.aws/v1 (karpenter 1.14.1) ------------------------------------

type SelectorTerm = { tags?: Record<string, string>; id?: string };
export type EC2NodeClass = CustomResource<
  "karpenter.k8s.aws/v1",
  "EC2NodeClass",
  {
    role?: string;
    amiSelectorTerms: { alias?: string; id?: string }[];
    subnetSelectorTerms: SelectorTerm[];
    securityGroupSelectorTerms: SelectorTerm[];
    metadataOptions?: {
      httpEndpoint?: "enabled" | "disabled";
      httpTokens?: "required" | "optional";
      httpPutResponseHopLimit?: number;
      httpProtocolIPv6?: "enabled" | "disabled";
    };
    blockDeviceMappings?: {
      deviceName?: string;
      ebs?: {
        volumeSize?: string;
        volumeType?: "standard" | "io1" | "io2" | "gp2" | "sc1" | "st1" | "gp3";
        encrypted?: boolean;
        deleteOnTermination?: boolean;
      };
    }[];
    tags?: Record<string, string>;
  }
>;
export type NodePool = CustomResource<
  "karpenter.sh/v1",
  "NodePool",
  {
    template: {
      metadata?: { labels?: Record<string, string> };
      spec: {
        nodeClassRef: { group: string; kind: string; name: string };
        requirements: {
          key: string;
          operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" | "Gte" | "Lte";
          values?: string[];
        }[];
        taints?: Taint[];
        expireAfter?: string;
      };
    };
    limits?: Record<string, string | number>;
    disruption?: {
      consolidationPolicy?: "WhenEmpty" | "WhenEmptyOrUnderutilized" | "Balanced";
      consolidateAfter?: string;
      budgets?: { nodes: string }[];
    };
  }
>;

// ---- superset.apache.org/v1alpha1 (superset-operator 0.2.0) --------------------------------------

/** A component's pod settings (spec.podTemplate and <component>.podTemplate): Kubernetes' own types. */
export interface SupersetPodTemplate {
  podSecurityContext?: PodSecurityContext;
  volumes?: Volume[];
  tolerations?: Toleration[];
  affinity?: Affinity;
  topologySpreadConstraints?: TopologySpreadConstraint[];
  container?: {
    securityContext?: SecurityContext;
    env?: EnvVar[];
    volumeMounts?: VolumeMount[];
    resources?: ResourceRequirements;
    startupProbe?: Probe;
    readinessProbe?: Probe;
    livenessProbe?: Probe;
  };
}
type SecretKeyRef = { name: string; key: string };
type SupersetComponent = { config?: string; podTemplate?: SupersetPodTemplate };
type Scaled = SupersetComponent & {
  replicas?: number;
  podDisruptionBudget?: { maxUnavailable?: number | string; minAvailable?: number | string };
};
type LifecycleTask = { timeout?: string; maxRetries?: number; disabled?: boolean };
export type Superset = CustomResource<
  "superset.apache.org/v1alpha1",
  "Superset",
  {
    environment?: "Development" | "Staging" | "Production";
    image: { repository?: string; tag: string; pullPolicy?: string };
    secretKeyFrom?: SecretKeyRef;
    metastore?: { uriFrom?: SecretKeyRef };
    valkey?: { host: string; port?: number; passwordFrom?: SecretKeyRef };
    bootstrapScript?: string;
    config?: string;
    deploymentTemplate?: { revisionHistoryLimit?: number };
    podTemplate?: SupersetPodTemplate;
    webServer?: Scaled & { service?: { type?: string; port?: number } };
    celeryWorker?: Scaled;
    celeryBeat?: SupersetComponent;
    lifecycle?: {
      podRetention?: { policy?: "Delete" | "Retain" | "RetainOnFailure" };
      migrate?: LifecycleTask;
      init?: LifecycleTask;
    };
  }
>;

export type CustomObject =
  | ServiceMonitor
  | PodMonitor
  | PrometheusRule
  | SecretStore
  | ClusterSecretStore
  | ExternalSecret
  | PasswordGenerator
  | Certificate
  | ClusterIssuer
  | GatewayClass
  | Gateway
  | HTTPRoute
  | EC2NodeClass
  | NodePool
  | Superset;

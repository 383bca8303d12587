import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/schema";
import { chartsFor } from "../config/charts";
import { AwsLoadBalancerController } from "../constructs/k8s/addons/aws-load-balancer-controller";
import { CertManager } from "../constructs/k8s/addons/cert-manager";
import { ExternalSecrets } from "../constructs/k8s/addons/external-secrets";
import { Karpenter } from "../constructs/k8s/addons/karpenter";
import { MetricsServer } from "../constructs/k8s/addons/metrics-server";
import {
  CloudNativePgOperator,
  EckOperator,
  EnvoyGateway,
  MinioOperator,
  SupersetOperator,
} from "../constructs/k8s/addons/operators";
import { KubePrometheusStack } from "../constructs/k8s/observability/kube-prometheus-stack";
import { StorageClasses } from "../constructs/k8s/storage-classes";
import { inCluster } from "./foundation-local";
import { names } from "./naming";
import { completeNamespaces } from "./namespace-access";
import { platformContext } from "./platform-context";
import { serviceAccounts } from "./service-accounts";

/** Namespaces of the add-ons; the workloads layer refers to some of them. */
export const addonNamespaces = {
  certManager: "cert-manager",
  externalSecrets: serviceAccounts.externalSecrets.namespace,
  karpenter: serviceAccounts.karpenter.namespace,
  eck: "elastic-system",
  superset: "superset-operator",
  cnpg: "cnpg-system",
  minio: "minio-operator",
  gateway: inCluster.gatewayNamespace,
} as const;

/**
 * `<env>-addons`: what the workloads stand on inside the cluster: storage classes, ingress (ALB
 * controller or Envoy Gateway), cert-manager, external-secrets, metrics-server, node autoscaling
 * and the operators with their CRDs. Applied after the foundation and before the apps.
 */
export class AddonsStack extends TerraformStack {
  constructor(scope: Construct, id: string, env: EnvironmentConfig) {
    super(scope, id);
    const foundation = platformContext(this, env, "addons");
    const charts = chartsFor(env);
    const replicas = foundation.zoneSpread ? 2 : 1;
    const common = { apiServer: foundation.apiServer, replicas };

    const storage = new StorageClasses(this, "storage", {
      provisioner: foundation.storage.provisioner,
      fastParameters: foundation.storage.fastParameters,
      standardParameters: foundation.storage.standardParameters,
      reclaimPolicy: foundation.protect ? "Retain" : "Delete",
      createStandard: foundation.storage.defaultClass === "platform",
    });
    new MetricsServer(this, "metrics-server", {
      ...common,
      chart: charts.metricsServer,
      namespace: "kube-system",
      insecureKubeletTls: foundation.cluster.kind === "kubeconfig",
    });
    new CertManager(this, "cert-manager", {
      ...common,
      chart: charts.certManager,
      namespace: addonNamespaces.certManager,
    });
    new ExternalSecrets(this, "external-secrets", {
      ...common,
      chart: charts.externalSecrets,
      namespace: addonNamespaces.externalSecrets,
      serviceAccountName: serviceAccounts.externalSecrets.name,
    });
    const observability = env.workloads.observability;
    const monitoring = new KubePrometheusStack(this, "monitoring", {
      chart: charts.kubePrometheusStack,
      apiServer: foundation.apiServer,
      zoneSpread: foundation.zoneSpread,
      prometheus: {
        replicas: observability.prometheus.replicas,
        retention: `${observability.prometheus.retentionDays}d`,
        retentionSize: `${Math.floor(observability.prometheus.storageGiB * 0.85)}GB`,
        storageGiB: observability.prometheus.storageGiB,
      },
      alertmanager: { replicas: observability.alertmanagerReplicas, storageGiB: 5 },
      externalLabels: { environment: env.name },
      otlpSources: [serviceAccounts.airbyte.namespace],
      grafanaIngress: { host: `grafana.${foundation.domain}`, from: foundation.ingressSource },
      dependsOn: storage.classes,
    });
    new EckOperator(this, "eck", { ...common, replicas: 1, chart: charts.eckOperator, namespace: addonNamespaces.eck });
    new SupersetOperator(this, "superset-operator", {
      ...common,
      chart: charts.supersetOperator,
      namespace: addonNamespaces.superset,
    });

    if (foundation.cluster.kind === "eks" && env.platform === "aws") {
      const naming = names(env);
      const vpc = new DataAwsVpc(this, "vpc", { tags: { Name: `${naming.base}-vpc` } });
      new AwsLoadBalancerController(this, "aws-lb-controller", {
        ...common,
        chart: charts.awsLoadBalancerController,
        namespace: serviceAccounts.loadBalancerController.namespace,
        clusterName: naming.cluster,
        region: env.aws.region,
        vpcId: vpc.id,
        serviceAccountName: serviceAccounts.loadBalancerController.name,
      });
      new Karpenter(this, "karpenter", {
        ...common,
        chart: charts.karpenter,
        namespace: addonNamespaces.karpenter,
        clusterName: naming.cluster,
        interruptionQueue: `${naming.cluster}-karpenter`,
        serviceAccountName: serviceAccounts.karpenter.name,
      });
    } else {
      new EnvoyGateway(this, "envoy-gateway", {
        ...common,
        chart: charts.envoyGateway,
        namespace: addonNamespaces.gateway,
      });
      new CloudNativePgOperator(this, "cnpg", {
        ...common,
        chart: charts.cloudnativePg,
        namespace: addonNamespaces.cnpg,
      });
      new MinioOperator(this, "minio-operator", {
        ...common,
        chart: charts.minioOperator,
        namespace: addonNamespaces.minio,
      });
    }
    // Grafana is the one service of this stack behind the entry point (the apps stack routes to it).
    completeNamespaces(this, foundation, monitoring.grafana ? [monitoring.grafana] : []);
  }
}

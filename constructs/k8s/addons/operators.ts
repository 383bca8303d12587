// The operators of the platform's stateful services and the plain-cluster gateway, each from its
// official chart with the values that differ from the chart's defaults.
import type { Construct } from "constructs";
import { resources, type AddonProps } from "./common";
import { Operator } from "./operator";

/** Elastic Cloud on Kubernetes: runs Elasticsearch clusters. */
export class EckOperator extends Operator {
  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id, {
      ...props,
      releaseName: "elastic-operator",
      webhookPorts: [9443],
      values: {
        installCRDs: true,
        replicaCount: props.replicas ?? 1,
        resources: resources("100m", "256Mi", "1Gi"),
        webhook: { enabled: true },
        telemetry: { disabled: true },
      },
    });
    // The operator manages clusters through their HTTP API.
    this.namespace.allowEgressTo("elasticsearch", { kind: "namespace", namespace: "*", ports: [9200] });
  }
}

/** Apache Superset Kubernetes operator (the Superset chart is deprecated in its favour). */
export class SupersetOperator extends Operator {
  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id, {
      ...props,
      releaseName: "superset-operator",
      webhookPorts: [9443],
      values: {
        replicas: props.replicas ?? 1,
        leaderElection: { enabled: true },
        resources: resources("50m", "128Mi", "512Mi"),
        watch: { scope: "cluster" },
      },
    });
  }
}

/** CloudNativePG: the in-cluster PostgreSQL of plain clusters. */
export class CloudNativePgOperator extends Operator {
  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id, {
      ...props,
      releaseName: "cnpg",
      webhookPorts: [9443],
      values: {
        replicaCount: props.replicas ?? 1,
        crds: { create: true },
        config: { clusterWide: true },
        resources: resources("100m", "200Mi", "512Mi"),
      },
    });
    // Instance managers report status on 8000; the operator also checks PostgreSQL itself.
    this.namespace.allowEgressTo("instances", { kind: "namespace", namespace: "*", ports: [8000, 5432] });
  }
}

/** MinIO operator: runs the MinIO tenant that stands in for S3 on plain clusters. */
export class MinioOperator extends Operator {
  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id, {
      ...props,
      releaseName: "minio-operator",
      webhookPorts: [],
      values: { operator: { replicaCount: props.replicas ?? 1, resources: resources("100m", "256Mi", "512Mi") } },
    });
    // Tenants call the operator's STS endpoint; the operator calls tenants' admin API.
    this.namespace.allowIngressFrom("tenant-sts", { kind: "namespace", namespace: "*", ports: [4223] });
    this.namespace.allowEgressTo("tenants", { kind: "namespace", namespace: "*", ports: [9000] });
  }
}

/** Envoy Gateway: the Gateway API implementation of plain clusters. */
export class EnvoyGateway extends Operator {
  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id, {
      ...props,
      releaseName: "envoy-gateway",
      webhookPorts: [],
      podSecurity: "baseline",
      values: {
        deployment: { replicas: props.replicas ?? 1 },
        podDisruptionBudget: { minAvailable: (props.replicas ?? 1) > 1 ? 1 : 0 },
      },
    });
    // Envoy proxies run here: they accept client traffic and forward it to every backend.
    this.namespace.allowIngressFrom("clients", { kind: "cidrs", cidrs: ["0.0.0.0/0"], ports: [10080, 10443] });
    this.namespace.allowEgressToCluster("backends");
  }
}

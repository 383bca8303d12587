import { describe, expect, it } from "vitest";
import { monitorSelectorLabels } from "../../constructs/k8s/observability/monitoring";
import {
  minioPublicMetricsEnv,
  PlatformMonitors,
  type PlatformMonitorsProps,
} from "../../constructs/k8s/observability/platform-monitors";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { resources } from "../helpers";
import { manifests, synthK8s } from "../k8s/helpers";

const exporterImage = "quay.io/prometheuscommunity/elasticsearch-exporter:v1.11.0";
const all: PlatformMonitorsProps = {
  dremio: { namespace: "dremio" },
  postgres: { namespace: "postgres", pooler: true },
  minio: { namespace: "minio" },
  elasticsearch: { namespace: "elastic", exporterImage },
  certManager: { namespace: "cert-manager" },
  externalSecrets: { namespace: "external-secrets" },
  karpenter: { namespace: "karpenter" },
};

function synth(props: PlatformMonitorsProps) {
  let monitors!: PlatformMonitors;
  const stack = synthK8s((scope) => {
    monitors = new PlatformMonitors(scope, "monitors", props);
  });
  const monitorsOf = [...manifests(stack, "ServiceMonitor"), ...manifests(stack, "PodMonitor")];
  const policies = resources(stack, "kubernetes_network_policy_v1");
  return { stack, monitors, monitorsOf, policies };
}
const byName = (ms: Record<string, any>[]) => Object.fromEntries(ms.map((monitor) => [monitor.metadata.name, monitor]));

describe("PlatformMonitors", () => {
  const { stack, monitors, monitorsOf, policies } = synth(all);
  const monitorsByName = byName(monitorsOf);

  it("monitors every platform component", () => {
    expect(Object.keys(monitorsByName).sort()).toEqual([
      "cert-manager",
      "cnpg-instances",
      "cnpg-poolers",
      "dremio",
      "elasticsearch",
      "external-secrets",
      "karpenter",
      "minio",
      "zookeeper",
    ]);
    expect(monitors.targets).toHaveLength(9);
  });

  it("every monitor carries the label Prometheus selects on and watches only its own namespace", () => {
    for (const mon of monitorsOf) {
      expect(mon.metadata.labels, mon.metadata.name).toEqual({ ...monitorSelectorLabels });
      expect(mon.spec.namespaceSelector, mon.metadata.name).toEqual({ matchNames: [mon.metadata.namespace] });
    }
  });

  it("scrapes each target where it serves metrics", () => {
    expect(monitorsByName.dremio).toMatchObject({ kind: "ServiceMonitor", metadata: { namespace: "dremio" } });
    expect(monitorsByName.dremio.spec.selector.matchLabels).toEqual({
      "app.kubernetes.io/name": "dremio",
      "app.kubernetes.io/instance": "dremio",
      "app.kubernetes.io/component": "metrics",
    });
    expect(monitorsByName.dremio.spec.endpoints[0]).toMatchObject({ port: "metrics", path: "/metrics" });
    expect(monitorsByName.zookeeper.spec.podMetricsEndpoints[0]).toMatchObject({ port: "metrics" });
    expect(monitorsByName["cnpg-instances"].spec.selector.matchLabels).toEqual({
      "cnpg.io/cluster": "postgres",
      "cnpg.io/podRole": "instance",
    });
    expect(monitorsByName.minio.spec.podMetricsEndpoints[0]).toMatchObject({
      targetPort: 9000,
      path: "/minio/v2/metrics/cluster",
    });
    expect(monitorsByName.minio.spec.podMetricsEndpoints[0].authorization).toBeUndefined();
    expect(monitorsByName["cert-manager"].spec.podMetricsEndpoints[0].port).toBe("http-metrics");
    expect(monitorsByName.karpenter.spec.podMetricsEndpoints[0].port).toBe("http-metrics");
    expect(minioPublicMetricsEnv).toEqual([{ name: "MINIO_PROMETHEUS_AUTH_TYPE", value: "public" }]);
  });

  it("admits Prometheus on each metrics port in each target namespace, and only from monitoring", () => {
    const np = Object.fromEntries(
      policies.map((policy) => [`${policy.metadata.namespace}/${policy.metadata.name}`, policy.spec]),
    );
    const ports = (k: string) => np[k].ingress[0].ports.map((port: any) => port.port);
    expect(ports("dremio/allow-prometheus-dremio")).toEqual(["9010"]);
    expect(ports("dremio/allow-prometheus-zookeeper")).toEqual(["7000"]);
    expect(ports("postgres/allow-prometheus-cnpg-instances")).toEqual(["9187"]);
    expect(ports("postgres/allow-prometheus-cnpg-poolers")).toEqual(["9127"]);
    expect(ports("minio/allow-prometheus-minio")).toEqual(["9000"]);
    expect(ports("elastic/allow-prometheus-elasticsearch-exporter")).toEqual(["9114"]);
    expect(ports("cert-manager/allow-prometheus-cert-manager")).toEqual(["9402"]);
    expect(ports("external-secrets/allow-prometheus-external-secrets")).toEqual(["8080"]);
    expect(ports("karpenter/allow-prometheus-karpenter")).toEqual(["8080"]);
    for (const policy of policies) {
      expect(policy.spec.policy_types).toEqual(["Ingress"]);
      expect(policy.spec.ingress[0].from).toEqual([
        { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } } },
      ]);
    }
  });

  it("runs the Elasticsearch exporter next to the cluster with ECK's credentials by reference", () => {
    const [deployment] = manifests(stack, "Deployment");
    expect(deployment.metadata).toMatchObject({ name: "elasticsearch-exporter", namespace: "elastic" });
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe(exporterImage);
    expect(container.args).toContain("--es.uri=https://elasticsearch-es-http.elastic.svc:9200");
    expect(container.args).toContain("--es.ca=/etc/elasticsearch-ca/ca.crt");
    expect(container.env).toContainEqual({
      name: "ES_PASSWORD",
      valueFrom: { secretKeyRef: { name: "elasticsearch-es-elastic-user", key: "elastic" } },
    });
    expect(deployment.spec.template.spec.volumes[0].projected.sources[0].secret.name).toBe(
      "elasticsearch-es-http-certs-public",
    );
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(findLiteralSecrets(stack)).toEqual([]);
  });

  it("scrapes a guarded MinIO tenant with a bearer token Secret", () => {
    const guarded = byName(
      synth({ minio: { namespace: "minio", bearerTokenSecret: { name: "minio-prometheus", key: "token" } } })
        .monitorsOf,
    );
    expect(guarded.minio.spec.podMetricsEndpoints[0].authorization).toEqual({
      type: "Bearer",
      credentials: { name: "minio-prometheus", key: "token" },
    });
  });

  it("creates nothing for components an environment does not run", () => {
    const aws = synth({
      dremio: { namespace: "dremio" },
      elasticsearch: { namespace: "elastic", exporterImage },
      certManager: { namespace: "cert-manager" },
    });
    const names = aws.monitorsOf.map((monitor) => monitor.metadata.name);
    expect(names).not.toContain("cnpg-instances");
    expect(names).not.toContain("minio");
    expect(names).not.toContain("karpenter");
    expect(synth({ postgres: { namespace: "postgres" } }).monitorsOf.map((monitor) => monitor.metadata.name)).toEqual([
      "cnpg-instances",
    ]);
    expect(synth({}).monitorsOf).toEqual([]);
  });

  it("refuses an unpinned exporter image", () => {
    expect(() =>
      synth({
        elasticsearch: { namespace: "elastic", exporterImage: "quay.io/prometheuscommunity/elasticsearch-exporter" },
      }),
    ).toThrow(/pinned/);
  });
});

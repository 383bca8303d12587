import { describe, expect, it } from "vitest";
import { GrafanaAdminSecret } from "../../constructs/k8s/observability/grafana-admin-secret";
import {
  KubePrometheusStack,
  type KubePrometheusStackProps,
} from "../../constructs/k8s/observability/kube-prometheus-stack";
import {
  grafanaAdminSecret,
  monitorSelectorLabels,
  prometheusOtlpMetricsUrl,
} from "../../constructs/k8s/observability/monitoring";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { chartValuesAbsent, loadDefaults, unknownKeys } from "../chart-keys";
import { awsFoundation, localFoundation } from "../fixtures/foundations";
import { resources } from "../helpers";
import { manifests, releaseValues, synthK8s } from "../k8s/helpers";

const chart = {
  repository: "https://prometheus-community.github.io/helm-charts",
  chart: "kube-prometheus-stack",
  version: "88.5.3",
};
const base: KubePrometheusStackProps = {
  chart,
  apiServer: awsFoundation.apiServer,
  prometheus: { replicas: 2, retention: "15d", retentionSize: "45GB", storageGiB: 50 },
  alertmanager: { replicas: 2, storageGiB: 5 },
  zoneSpread: true,
  externalLabels: { environment: "test" },
  otlpSources: ["airbyte"],
  grafanaIngress: { host: "grafana.data.fixture.example", from: awsFoundation.ingressSource },
};
/** Grafana subchart keys the recorded parent defaults do not list (see the construct). */
const grafanaSubchartKeys = ["grafana.deploymentStrategy"];

function synth(props: Partial<KubePrometheusStackProps> = {}) {
  let stack!: KubePrometheusStack;
  const synthesized = synthK8s((scope) => {
    stack = new KubePrometheusStack(scope, "monitoring", { ...base, ...props });
    new GrafanaAdminSecret(scope, "grafana-admin", {
      password: { key: awsFoundation.secretKeys["grafana-admin"], property: "password" },
    });
  });
  return { synthesized, stack, values: releaseValues(synthesized)["kube-prometheus-stack"] };
}
const policies = (synthesized: ReturnType<typeof synthK8s>) =>
  Object.fromEntries(
    resources(synthesized, "kubernetes_network_policy_v1").map((policy) => [policy.metadata.name, policy]),
  );

describe("KubePrometheusStack", () => {
  const { synthesized, stack, values } = synth();

  it.skipIf(chartValuesAbsent)(
    "sets only keys the pinned chart knows (the grafana section belongs to its subchart)",
    () => {
      const defaults = loadDefaults("kube-prometheus-stack", "88.5.3")!;
      expect(defaults).toBeDefined();
      expect(unknownKeys(values, defaults)).toEqual([]);
      // Without the subchart rule, the grafana keys the parent's defaults do not list would show.
      expect(unknownKeys(values, { ...defaults, subcharts: [] })).toEqual(grafanaSubchartKeys);
      // The check has teeth: a misspelt key of the parent chart is reported.
      expect(unknownKeys({ ...values, prometheus: { prometheusSpec: { retentionDays: 3 } } }, defaults)).toContain(
        "prometheus.prometheusSpec.retentionDays",
      );
    },
  );

  it("sizes Prometheus and Alertmanager from props, on fast-ssd volumes", () => {
    const ps = values.prometheus.prometheusSpec;
    expect(ps).toMatchObject({
      replicas: 2,
      retention: "15d",
      retentionSize: "45GB",
      externalLabels: { environment: "test" },
      enableOTLPReceiver: true,
    });
    expect(ps.storageSpec.volumeClaimTemplate.spec).toEqual({
      storageClassName: "fast-ssd",
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "50Gi" } },
    });
    expect(ps.topologySpreadConstraints[0].topologyKey).toBe("topology.kubernetes.io/zone");
    expect(values.alertmanager.alertmanagerSpec).toMatchObject({
      replicas: 2,
      storage: {
        volumeClaimTemplate: { spec: { storageClassName: "fast-ssd", resources: { requests: { storage: "5Gi" } } } },
      },
    });
  });

  it("selects monitors, probes and rules by the exported label in every namespace", () => {
    const ps = values.prometheus.prometheusSpec;
    for (const kind of ["serviceMonitor", "podMonitor", "probe", "scrapeConfig", "rule"]) {
      expect(ps[`${kind}Selector`], kind).toEqual({ matchLabels: { ...monitorSelectorLabels } });
      expect(ps[`${kind}NamespaceSelector`], kind).toEqual({});
    }
    expect(stack.monitorLabels).toEqual({ release: "kube-prometheus-stack" });
  });

  it("takes Grafana's admin from an existing Secret filled by external-secrets, never a literal", () => {
    expect(values.grafana.admin).toEqual({
      existingSecret: grafanaAdminSecret.name,
      userKey: "admin-user",
      passwordKey: "admin-password",
    });
    expect(values.grafana.adminPassword).toBeUndefined();
    const [es] = manifests(synthesized, "ExternalSecret");
    expect(es.metadata).toMatchObject({ name: "grafana-admin", namespace: "monitoring" });
    expect(es.spec.data).toEqual([
      { secretKey: "admin-password", remoteRef: { key: "odp/test/grafana-admin", property: "password" } },
    ]);
    expect(es.spec.target.template.data).toEqual({ "admin-user": "platform-admin" });
    expect(findLiteralSecrets(synthesized)).toEqual([]);
    // The scan would catch a literal admin password in the chart's values.
    const leaked = synthK8s((scope) => new KubePrometheusStack(scope, "m", base));
    (leaked.resource!.helm_release as any)["m_chart_release_ABC"] = {
      set_sensitive: undefined,
      adminPassword: "hunter2",
    };
    expect(findLiteralSecrets(leaked).map((finding) => finding.path)).toContain(
      "resource.helm_release.m_chart_release_ABC.adminPassword",
    );
  });

  it("does not make the release wait for the admin Secret of the apps layer", () => {
    expect(values.grafana.deploymentStrategy.rollingUpdate.maxUnavailable).toBe(1);
  });

  it("loads dashboards from ConfigMaps labelled grafana_dashboard=1 in all namespaces", () => {
    expect(values.grafana.sidecar.dashboards).toEqual({
      enabled: true,
      label: "grafana_dashboard",
      labelValue: "1",
      searchNamespace: "ALL",
    });
  });

  it("leaves the control plane unscraped on managed clusters", () => {
    for (const k of ["kubeEtcd", "kubeScheduler", "kubeControllerManager", "kubeProxy"])
      expect(values[k].enabled, k).toBe(false);
    expect(synth({ scrapeControlPlane: true }).values.kubeEtcd.enabled).toBe(true);
  });

  it("opens only the flows monitoring needs", () => {
    const policyByName = policies(synthesized);
    expect(policyByName["egress-scrape"].spec.egress[0].to).toEqual([{ namespace_selector: {} }]);
    expect(policyByName["egress-api-server"].spec.egress[0].to).toEqual([{ ip_block: { cidr: "10.20.0.0/16" } }]);
    expect(policyByName["ingress-webhooks"].spec.ingress[0].ports).toEqual([{ port: "10250", protocol: "TCP" }]);
    expect(policyByName["egress-nodes"].spec.egress[0].ports.map((port: any) => port.port)).toEqual(["10250", "9100"]);
    expect(policyByName["ingress-otlp-airbyte"].spec.ingress[0]).toMatchObject({ ports: [{ port: "9090" }] });
    expect(policyByName["ingress-grafana"].spec.ingress[0].from).toEqual([
      { ip_block: { cidr: "10.20.192.0/22" } },
      { ip_block: { cidr: "10.20.196.0/22" } },
    ]);
    expect(stack.grafana).toMatchObject({
      host: "grafana.data.fixture.example",
      serviceName: "kube-prometheus-stack-grafana",
      targetPort: 3000,
    });
    // Without an entry point Grafana admits nobody from outside its namespace.
    const closed = synth({ grafanaIngress: undefined });
    expect(policies(closed.synthesized)["ingress-grafana"]).toBeUndefined();
    expect(closed.stack.grafana).toBeUndefined();
  });

  it("publishes Prometheus' OTLP endpoint for Airbyte", () => {
    expect(prometheusOtlpMetricsUrl).toBe(
      "http://kube-prometheus-stack-prometheus.monitoring.svc:9090/api/v1/otlp/v1/metrics",
    );
    expect(stack.prometheusUrl).toBe("http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
  });

  it("on a plain cluster reaches the nodes wherever the API server is", () => {
    const local = synth({
      apiServer: localFoundation.apiServer,
      grafanaIngress: { host: "grafana.odp.localtest.me", from: localFoundation.ingressSource },
    });
    const policyByName = policies(local.synthesized);
    expect(policyByName["egress-nodes"].spec.egress[0].to).toEqual([{ ip_block: { cidr: "0.0.0.0/0" } }]);
    expect(policyByName["ingress-grafana"].spec.ingress[0].from[0].namespace_selector.match_labels).toEqual({
      "kubernetes.io/metadata.name": "envoy-gateway-system",
    });
  });

  it("rejects sizes that cannot work", () => {
    expect(() => synth({ prometheus: { ...base.prometheus, retention: "15 days" } })).toThrow(/retention/);
    expect(() => synth({ prometheus: { ...base.prometheus, retentionSize: "60GB" } })).toThrow(/below the 50Gi volume/);
    expect(() => synth({ alertmanager: { replicas: 0, storageGiB: 1 } })).toThrow(/at least one replica/);
  });
});

import { describe, expect, it } from "vitest";
import { monitorSelectorLabels } from "../../constructs/k8s/observability/monitoring";
import {
  PlatformAlerts,
  platformRuleGroups,
  type PlatformAlertsProps,
} from "../../constructs/k8s/observability/platform-alerts";
import { manifests, synthK8s } from "../k8s/helpers";

const everything: PlatformAlertsProps = {
  airbyte: true,
  dremio: { namespace: "dremio" },
  postgres: true,
  minio: true,
  elasticsearch: true,
  logShipping: true,
};

function synth(props: PlatformAlertsProps) {
  const stack = synthK8s((scope) => new PlatformAlerts(scope, "alerts", props));
  const [rule] = manifests(stack, "PrometheusRule");
  const rules = Object.fromEntries(
    rule.spec.groups.flatMap((group: any) => group.rules).map((alertRule: any) => [alertRule.alert, alertRule]),
  );
  return { rule, rules };
}

describe("PlatformAlerts", () => {
  const { rule, rules } = synth(everything);

  it("is one PrometheusRule in the monitoring namespace carrying the selected label", () => {
    expect(rule.metadata).toEqual({
      name: "platform-alerts",
      namespace: "monitoring",
      labels: { ...monitorSelectorLabels },
    });
  });

  it("every rule has a severity, a duration and a runbook", () => {
    for (const alertRule of Object.values(rules) as any[]) {
      expect(["critical", "warning"], alertRule.alert).toContain(alertRule.labels.severity);
      expect(alertRule.for, alertRule.alert).toMatch(/^\d+[mh]$/);
      expect(alertRule.annotations.summary, alertRule.alert).toBeTruthy();
      expect(alertRule.annotations.description, alertRule.alert).toBeTruthy();
      expect(alertRule.annotations.runbook.length, alertRule.alert).toBeGreaterThan(30);
    }
  });

  it("covers each service with its threshold", () => {
    expect(rules.AirbyteSyncFailureRateHigh.expr).toMatch(/airbyte_syncs_total\{status="failed"\}.*> 0\.1$/);
    expect(rules.DremioQueryFailureRateHigh.expr).toContain("jobs_failed_total");
    expect(rules.DremioQueriesSlow.expr).toMatch(/> 30000$/);
    expect(rules.DremioReflectionsFailed.expr).toBe("max(reflections_failed) > 0");
    expect(rules.PostgresConnectionsHigh.expr).toMatch(/cnpg_backends_total.*max_connections.*> 0\.8$/);
    expect(rules.PostgresCacheHitRatioLow.expr).toContain("< 0.95");
    expect(rules.MinioErrorRateHigh.expr).toMatch(/minio_s3_requests_5xx_errors_total.*> 0\.05$/);
    expect(rules.ElasticsearchClusterRed.labels.severity).toBe("critical");
    expect(rules.LogShippingFailing.expr).toContain("fluentbit_output_retries_failed_total");
  });

  it("alerts on replica lag, certificates, volumes and crash loops", () => {
    expect(rules.PostgresReplicaLagHigh).toMatchObject({
      expr: "max by (pod) (cnpg_pg_replication_lag) > 60",
      labels: { severity: "critical" },
    });
    expect(rules.CertificateExpiringSoon.expr).toBe(
      "certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 86400",
    );
    expect(rules.PersistentVolumeFillingUp.expr).toBe(
      "kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > 0.85",
    );
    expect(rules.PodCrashLooping.expr).toBe("increase(kube_pod_container_status_restarts_total[15m]) > 3");
  });

  it("alerts on S3 replication against the 15-minute RPO only from a CloudWatch exporter's series", () => {
    expect(rules.S3ReplicationLatencyAboveRpo).toBeUndefined();
    const withExporter = synth({ s3ReplicationLatencyMetric: "aws_s3_replication_latency_maximum" }).rules;
    expect(withExporter.S3ReplicationLatencyAboveRpo.expr).toBe(
      "max by (bucket) (aws_s3_replication_latency_maximum) > 900",
    );
  });

  it("takes thresholds as props", () => {
    const strict = synth({
      ...everything,
      thresholds: { postgresReplicaLagSeconds: 30, pvcFillRatio: 0.8, certificateExpiryDays: 21 },
    }).rules;
    expect(strict.PostgresReplicaLagHigh.expr).toMatch(/> 30$/);
    expect(strict.PersistentVolumeFillingUp.expr).toMatch(/> 0\.8$/);
    expect(strict.CertificateExpiringSoon.expr).toContain("< 21 * 86400");
  });

  it("has only the cluster rules when no service is named (an AWS stack has no CloudNativePG or MinIO)", () => {
    const names = platformRuleGroups({}).map((group) => group.name);
    expect(names).toEqual(["platform.cluster"]);
    const aws = platformRuleGroups({ dremio: { namespace: "dremio" }, elasticsearch: true }).flatMap((group) =>
      group.rules.map((alertRule) => alertRule.alert),
    );
    expect(aws).not.toContain("PostgresReplicaLagHigh");
    expect(aws).not.toContain("MinioErrorRateHigh");
  });

  it("writes no Terraform template sequence (Prometheus templates use {{ }})", () => {
    expect(JSON.stringify(rule)).not.toMatch(/[$%]\{/);
  });
});

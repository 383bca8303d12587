import { describe, expect, it } from "vitest";
import { LogShipping, type LogShippingProps } from "../../constructs/k8s/observability/log-shipping";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { chartValuesAbsent, loadDefaults, unknownKeys } from "../chart-keys";
import { awsFoundation, localFoundation } from "../fixtures/foundations";
import { resources } from "../helpers";
import { manifests, releaseValues, synthK8s } from "../k8s/helpers";

const chart = { repository: "https://fluent.github.io/helm-charts", chart: "fluent-bit", version: "0.58.1" };
const base: LogShippingProps = {
  chart,
  apiServer: awsFoundation.apiServer,
  elasticsearch: { namespace: "elastic", setupImage: "docker.elastic.co/elasticsearch/elasticsearch:9.5.0" },
  credentials: { kind: "writer-user", password: { key: "odp/test/logging-elasticsearch", property: "password" } },
  retentionDays: 30,
};

function synth(props: Partial<LogShippingProps> = {}) {
  let ls!: LogShipping;
  const synthesized = synthK8s((scope) => {
    ls = new LogShipping(scope, "logging", { ...base, ...props });
  });
  const values = releaseValues(synthesized)["fluent-bit"];
  const policies = Object.fromEntries(
    resources(synthesized, "kubernetes_network_policy_v1").map((policy) => [
      `${String(policy.metadata.namespace).startsWith("${") ? "logging" : policy.metadata.namespace}/${policy.metadata.name}`,
      policy.spec,
    ]),
  );
  const [job] = manifests(synthesized, "Job");
  return { synthesized, ls, values, policies, job };
}
const env = (job: any) =>
  Object.fromEntries(
    job.spec.template.spec.containers[0].env.map((envVar: any) => [envVar.name, envVar.value ?? envVar.valueFrom]),
  );

describe("LogShipping", () => {
  const { synthesized, ls, values, policies, job } = synth();

  it.skipIf(chartValuesAbsent)("sets only keys the pinned fluent-bit chart knows", () => {
    const defaults = loadDefaults("fluent-bit", "0.58.1")!;
    expect(defaults).toBeDefined();
    expect(unknownKeys(values, defaults)).toEqual([]);
    expect(unknownKeys({ ...values, daemonset: { enabled: true } }, defaults)).toEqual(["daemonset"]);
  });

  it("runs on every node, whatever its taints", () => {
    expect(values.kind).toBe("DaemonSet");
    expect(values.tolerations).toEqual([{ operator: "Exists" }]);
    expect(values.tolerations[0].key).toBeUndefined();
  });

  it("tails container logs and the kubelet's and containerd's journal", () => {
    expect(values.config.inputs).toContain("Path /var/log/containers/*.log");
    expect(values.config.inputs).toContain("Exclude_Path /var/log/containers/*_logging_*.log");
    expect(values.config.inputs).toContain("Systemd_Filter _SYSTEMD_UNIT=kubelet.service");
    expect(values.config.inputs).toContain("Systemd_Filter _SYSTEMD_UNIT=containerd.service");
    expect(values.config.filters).toContain("Name kubernetes");
    expect(values.daemonSetVolumeMounts).toContainEqual({ name: "varlog", mountPath: "/var/log", readOnly: true });
  });

  it("ships to Elasticsearch over verified TLS with ECK's CA and credentials from a Secret", () => {
    const out = values.config.outputs as string;
    expect(out).toContain("Host elasticsearch-es-http.elastic.svc");
    expect(out).toContain("Port 9200");
    expect(out).toContain("tls On");
    expect(out).toContain("tls.verify On");
    expect(out).toContain("tls.ca_file /fluent-bit/etc/elasticsearch-ca/ca.crt");
    expect(out).not.toMatch(/tls\.verify Off/);
    // Terraform renders "$${" as "${": Fluent Bit reads the variables from the pod's environment.
    expect(out).toContain("HTTP_Passwd $${ES_PASSWORD}");
    expect(out).toContain("Index logs-kubernetes.container-platform");
    expect(out).toContain("Index logs-kubernetes.node-platform");
    expect(out).toContain("Write_Operation create");
    expect(values.env).toEqual([
      { name: "ES_USERNAME", valueFrom: { secretKeyRef: { name: "elasticsearch-credentials", key: "username" } } },
      { name: "ES_PASSWORD", valueFrom: { secretKeyRef: { name: "elasticsearch-credentials", key: "password" } } },
    ]);
    expect(values.extraVolumes).toEqual([
      {
        name: "elasticsearch-ca",
        secret: { secretName: "elasticsearch-ca", items: [{ key: "ca.crt", path: "ca.crt" }] },
      },
    ]);
    expect(findLiteralSecrets(synthesized)).toEqual([]);
  });

  it("copies ECK's CA through a SecretStore allowed to read that one Secret", () => {
    const [store] = manifests(synthesized, "SecretStore");
    expect(store.spec.provider.kubernetes).toMatchObject({
      remoteNamespace: "elastic",
      auth: { serviceAccount: { name: "elasticsearch-ca-reader" } },
    });
    const [role] = resources(synthesized, "kubernetes_role_v1");
    expect(role.metadata.namespace).toBe("elastic");
    expect(role.rule[0]).toMatchObject({
      resources: ["secrets"],
      resource_names: ["elasticsearch-es-http-certs-public"],
      verbs: ["get"],
    });
    const copy = manifests(synthesized, "ExternalSecret").find(
      (externalSecret) => externalSecret.spec.secretStoreRef.kind === "SecretStore",
    )!;
    expect(copy.spec.data).toEqual([
      { secretKey: "ca.crt", remoteRef: { key: "elasticsearch-es-http-certs-public", property: "ca.crt" } },
    ]);
  });

  it("creates a writer user that may only append to the log data streams", () => {
    const jobEnv = env(job);
    expect(job.metadata.namespace).toBe("elastic");
    expect(JSON.parse(jobEnv.WRITER_ROLE)).toEqual({
      cluster: ["monitor"],
      indices: [
        { names: ["logs-kubernetes.*-platform"], privileges: ["create_doc", "auto_configure", "view_index_metadata"] },
      ],
    });
    expect(jobEnv.WRITER_PASSWORD).toEqual({ secretKeyRef: { name: "log-writer-password", key: "password" } });
    expect(jobEnv.ELASTIC_PASSWORD).toEqual({
      secretKeyRef: { name: "elasticsearch-es-elastic-user", key: "elastic" },
    });
    const stored = manifests(synthesized, "ExternalSecret").filter(
      (externalSecret) => externalSecret.spec.secretStoreRef.kind === "ClusterSecretStore",
    );
    expect(
      stored.map((externalSecret) => `${externalSecret.metadata.namespace}/${externalSecret.metadata.name}`).sort(),
    ).toEqual(["elastic/log-writer-password", "logging/elasticsearch-credentials"]);
    // Passwords reach curl through a file in memory, never on a command line.
    const script = job.spec.template.spec.containers[0].command[2] as string;
    expect(script).toContain("curl -K /work/curl.cfg");
    expect(script).not.toMatch(/curl[^\n]*-u /);
    expect(job.spec.template.spec.volumes[1]).toEqual({
      name: "work",
      emptyDir: { medium: "Memory", sizeLimit: "1Mi" },
    });
  });

  it("deletes logs after the tier's retention through an ILM policy on the data streams", () => {
    const jobEnv = env(job);
    expect(JSON.parse(jobEnv.ILM_POLICY).policy.phases.delete).toEqual({ min_age: "30d", actions: { delete: {} } });
    expect(JSON.parse(jobEnv.INDEX_TEMPLATE)).toMatchObject({
      index_patterns: ["logs-kubernetes.*-platform"],
      data_stream: {},
      template: { settings: { "index.lifecycle.name": "platform-logs" } },
    });
    const dev = synth({ retentionDays: 3, indexReplicas: 0 });
    const devEnv = env(dev.job);
    expect(JSON.parse(devEnv.ILM_POLICY).policy.phases.delete.min_age).toBe("3d");
    expect(JSON.parse(devEnv.INDEX_TEMPLATE).template.settings["index.number_of_replicas"]).toBe(0);
    // A changed policy is a new Job (Jobs are immutable).
    expect(dev.job.metadata.name).not.toBe(job.metadata.name);
    expect(() => synth({ retentionDays: 0 })).toThrow(/retentionDays/);
    expect(ls.lifecycle).toBeDefined();
  });

  it("reaches Elasticsearch on 9200 and the API server, admits Prometheus, and is admitted by Elasticsearch", () => {
    expect(policies["logging/egress-elasticsearch"].egress[0]).toMatchObject({ ports: [{ port: "9200" }] });
    expect(policies["logging/egress-elasticsearch"].egress[0].to[0].namespace_selector.match_labels).toEqual({
      "kubernetes.io/metadata.name": "elastic",
    });
    expect(policies["logging/egress-api-server"].egress[0].to).toEqual([{ ip_block: { cidr: "10.20.0.0/16" } }]);
    expect(policies["logging/ingress-prometheus"].ingress[0].ports).toEqual([{ port: "2020", protocol: "TCP" }]);
    expect(policies["elastic/allow-logging"].ingress[0].from[0].namespace_selector.match_labels).toEqual({
      "kubernetes.io/metadata.name": "logging",
    });
    expect(values.serviceMonitor).toEqual({ enabled: true, selector: { release: "kube-prometheus-stack" } });
    // Nothing opens egress to the internet.
    expect(Object.keys(policies)).not.toContain("logging/egress-https");
  });

  it("uses an existing Secret when given one, and creates no writer user", () => {
    const existing = synth({
      apiServer: localFoundation.apiServer,
      credentials: { kind: "existing-secret", secretName: "es-shipper", usernameKey: "user", passwordKey: "pass" },
    });
    expect(existing.values.env[1]).toEqual({
      name: "ES_PASSWORD",
      valueFrom: { secretKeyRef: { name: "es-shipper", key: "pass" } },
    });
    expect(env(existing.job).WRITER_ROLE).toBeUndefined();
    expect(
      manifests(existing.synthesized, "ExternalSecret").filter(
        (externalSecret) => externalSecret.spec.secretStoreRef.kind === "ClusterSecretStore",
      ),
    ).toEqual([]);
  });
});

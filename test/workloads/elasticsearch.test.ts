import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { versions } from "../../config/versions";
import type { Foundation } from "../../constructs/platform/contract";
import {
  Elasticsearch,
  elasticsearchNamespace,
  elasticsearchSnapshotServiceAccount,
  type ElasticsearchNodeSet,
} from "../../constructs/k8s/workloads/elasticsearch";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { serviceAccounts } from "../../stacks/service-accounts";
import { chartValuesAbsent, loadDefaults, unknownKeys } from "../chart-keys";
import { awsFoundation, localFoundation } from "../fixtures/foundations";

type Json = Record<string, any>;

const nodeSets: Record<string, ElasticsearchNodeSet> = {
  masters: { count: 3, roles: ["master"], storageGiB: 10, memoryGiB: 2 },
  data: { count: 3, roles: ["data", "ingest"], storageGiB: 200, memoryGiB: 8, cpu: "3" },
};

function synth(
  foundation: Foundation,
  extra: (es: Elasticsearch) => void = () => {},
): { json: Json; es: Elasticsearch } {
  let es!: Elasticsearch;
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      es = new Elasticsearch(scope, "es", {
        foundation,
        namespace: "elastic",
        chart: versions.charts.eckElasticsearch,
        version: versions.images.elasticsearch,
        nodeSets,
      });
      extra(es);
    }),
  ) as Json;
  return { json, es };
}

const all = (j: Json, type: string): Json[] => Object.values(j.resource?.[type] ?? {});
const values = (j: Json): Json => parse(all(j, "helm_release")[0]!.values[0]);
/** kubernetes_manifest resources (manifest and Terraform arguments) of a kind. */
const manifestResources = (j: Json, kind: string): Json[] =>
  all(j, "kubernetes_manifest").filter((resource) => resource.manifest.kind === kind);
const policy = (j: Json, name: string): Json | undefined =>
  all(j, "kubernetes_network_policy_v1").find((networkPolicy) => networkPolicy.metadata.name === name);

describe("Elasticsearch on AWS (snapshots, zone spread)", () => {
  const { json, es } = synth(awsFoundation);
  const helmValues = values(json);

  it("installs the pinned eck-elasticsearch chart as release elasticsearch, named elasticsearch", () => {
    const release = all(json, "helm_release")[0]!;
    expect(release).toMatchObject({
      name: "elasticsearch",
      namespace: "elastic",
      chart: "eck-elasticsearch",
      version: "0.20.0",
      atomic: true,
    });
    expect(helmValues.fullnameOverride).toBe("elasticsearch");
    expect(helmValues.version).toBe(versions.images.elasticsearch);
  });

  it.skipIf(chartValuesAbsent)("sets only keys the chart knows", () => {
    expect(unknownKeys(helmValues, loadDefaults("eck-elasticsearch", "0.20.0")!)).toEqual([]);
  });

  it("renders one node set per entry with roles, fast-ssd volume, memory request = limit and no heap override", () => {
    expect(
      helmValues.nodeSets.map((nodeSet: Json) => [nodeSet.name, nodeSet.count, nodeSet.config["node.roles"]]),
    ).toEqual([
      ["masters", 3, ["master"]],
      ["data", 3, ["data", "ingest"]],
    ]);
    const data = helmValues.nodeSets[1];
    expect(data.volumeClaimTemplates).toEqual([
      {
        metadata: { name: "elasticsearch-data" },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: "fast-ssd",
          resources: { requests: { storage: "200Gi" } },
        },
      },
    ]);
    const container = data.podTemplate.spec.containers[0];
    expect(container.name).toBe("elasticsearch");
    expect(container.resources).toEqual({ requests: { cpu: "3", memory: "8Gi" }, limits: { memory: "8Gi" } });
    expect(helmValues.nodeSets[0].podTemplate.spec.containers[0].resources.requests.cpu).toBe("500m");
    expect(JSON.stringify(helmValues)).not.toContain("ES_JAVA_OPTS");
    expect(data.config["node.store.allow_mmap"]).toBe(false);
  });

  it("keeps ECK's TLS, security context and PDB defaults", () => {
    expect(helmValues.http).toBeUndefined();
    expect(helmValues.podDisruptionBudget).toBeUndefined();
    expect(helmValues.nodeSets[0].podTemplate.spec.securityContext).toBeUndefined();
    expect(helmValues.volumeClaimDeletePolicy).toBe("DeleteOnScaledownOnly");
  });

  it("spreads every node set across zones with ECK zone awareness", () => {
    for (const nodeSet of helmValues.nodeSets)
      expect(nodeSet.zoneAwareness).toEqual({ topologyKey: "topology.kubernetes.io/zone" });
  });

  it("gives the nodes the snapshot role through IRSA as ECK documents it", () => {
    const sa = all(json, "kubernetes_service_account_v1")[0]!;
    expect(sa.metadata).toMatchObject({
      name: "elasticsearch-snapshots",
      namespace: "elastic",
      annotations: { "eks.amazonaws.com/role-arn": awsFoundation.snapshots!.roleArn },
    });
    for (const nodeSet of helmValues.nodeSets) {
      const spec = nodeSet.podTemplate.spec;
      expect(spec.serviceAccountName).toBe("elasticsearch-snapshots");
      expect(spec.containers[0].env).toEqual([
        { name: "AWS_ROLE_ARN", value: awsFoundation.snapshots!.roleArn },
        {
          name: "AWS_WEB_IDENTITY_TOKEN_FILE",
          value: "/usr/share/elasticsearch/config/repository-s3/aws-web-identity-token-file",
        },
      ]);
      expect(spec.containers[0].volumeMounts).toEqual([
        { name: "aws-iam-token", mountPath: "/usr/share/elasticsearch/config/repository-s3", readOnly: true },
      ]);
      expect(spec.volumes[0].projected.sources[0].serviceAccountToken).toEqual({
        audience: "sts.amazonaws.com",
        expirationSeconds: 86400,
        path: "aws-web-identity-token-file",
      });
    }
    expect(es.snapshotServiceAccount).toEqual({
      namespace: "elastic",
      name: "elasticsearch-snapshots",
      subject: "system:serviceaccount:elastic:elasticsearch-snapshots",
    });
  });

  it("matches the service account the foundation trusts", () => {
    expect(elasticsearchSnapshotServiceAccount).toBe(serviceAccounts.elasticsearchSnapshots.name);
    expect(elasticsearchNamespace).toBe(serviceAccounts.elasticsearchSnapshots.namespace);
  });

  it("registers the repository and SLM policy with a non-root Job that reads the password from the ECK Secret", () => {
    const jobs = manifestResources(json, "Job");
    expect(jobs).toHaveLength(1);
    const jobResource = jobs[0]!;
    expect(jobResource.depends_on).toEqual([expect.stringMatching(/^helm_release\./)]);
    expect(jobResource.wait).toEqual({ condition: [{ type: "Complete", status: "True" }] });
    expect(jobResource.timeouts).toEqual({ create: "30m", update: "30m" });
    const job = jobResource.manifest as Json;
    expect(job.apiVersion).toBe("batch/v1");
    const pod = job.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    const container = pod.containers[0];
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.resources).toEqual({ requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } });
    const env = Object.fromEntries(container.env.map((envVar: Json) => [envVar.name, envVar]));
    expect(env.ES_URL.value).toBe("https://elasticsearch-es-http:9200");
    expect(env.ELASTIC_PASSWORD).toEqual({
      name: "ELASTIC_PASSWORD",
      valueFrom: { secretKeyRef: { name: "elasticsearch-es-elastic-user", key: "elastic" } },
    });
    expect(JSON.parse(env.REPOSITORY.value)).toEqual({
      type: "s3",
      settings: { bucket: "lake-test-platform", base_path: "elasticsearch/snapshots/test", region: "eu-west-1" },
    });
    const slm = JSON.parse(env.POLICY.value);
    expect(slm).toMatchObject({ repository: "lake", retention: { expire_after: "30d", min_count: 5, max_count: 50 } });
    expect(slm.schedule).toMatch(/^0 \d+ \d+ \* \* \?$/);
    const script: string = container.command[2];
    expect(script).toContain('-X PUT "$ES_URL/_snapshot/lake"');
    expect(script).toContain('-X PUT "$ES_URL/_slm/policy/daily-snapshots"');
    expect(script).toContain("--cacert /etc/elasticsearch-ca/ca.crt");
    expect(script).not.toMatch(/-u\s|--user\s/);
    expect(container.volumeMounts).toEqual([{ name: "ca", mountPath: "/etc/elasticsearch-ca", readOnly: true }]);
    expect(pod.volumes[0].projected.sources[0].secret).toEqual({
      name: "elasticsearch-es-http-certs-public",
      items: [{ key: "ca.crt", path: "ca.crt" }],
    });
  });

  it("names the set-up Job after its content, so a changed Job replaces the immutable one", () => {
    const name = (j: Json) => manifestResources(j, "Job")[0]!.manifest.metadata.name as string;
    expect(name(json)).toMatch(/^elasticsearch-snapshot-setup-[0-9a-f]{8}$/);
    expect(name(synth(awsFoundation).json)).toBe(name(json));
    const changed = JSON.parse(
      Testing.synthScope((scope) => {
        new Elasticsearch(scope, "es", {
          foundation: awsFoundation,
          namespace: "elastic",
          chart: versions.charts.eckElasticsearch,
          version: versions.images.elasticsearch,
          nodeSets,
          snapshotSchedule: "0 0 3 * * ?",
        });
      }),
    ) as Json;
    expect(name(changed)).not.toBe(name(json));
  });

  it("lets the nodes reach the object store and STS, and the operator reach 9200", () => {
    const esPods = {
      "elasticsearch.k8s.elastic.co/cluster-name": "elasticsearch",
      "common.k8s.elastic.co/type": "elasticsearch",
    };
    const s3 = policy(json, "egress-object-store")!;
    expect(s3.spec.pod_selector.match_labels).toEqual(esPods);
    expect(s3.spec.egress[0]).toEqual({
      to: [{ ip_block: { cidr: "0.0.0.0/0" } }],
      ports: [{ port: "443", protocol: "TCP" }],
    });
    expect(policy(json, "egress-aws-sts")).toBeDefined();
    const op = policy(json, "ingress-eck-operator")!;
    expect(op.spec.ingress[0].from).toEqual([
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "elastic-system" } } },
    ]);
    expect(op.spec.ingress[0].ports).toEqual([{ port: "9200", protocol: "TCP" }]);
    expect(policy(json, "egress-api-server")).toBeUndefined();
  });

  it("exposes the service host and the credentials Secret", () => {
    expect(es.serviceHost).toBe("elasticsearch-es-http.elastic.svc");
    expect(es.credentialsSecret).toBe("elasticsearch-es-elastic-user");
    expect(es.caSecret).toBe("elasticsearch-es-http-certs-public");
  });

  it("holds no literal secret", () => {
    expect(findLiteralSecrets(json)).toEqual([]);
  });
});

describe("Elasticsearch on a plain cluster (no snapshots, no zones)", () => {
  const { json, es } = synth(localFoundation, (elasticsearch) => elasticsearch.allowClients("logging", "logging"));
  const helmValues = values(json);

  it("has no snapshot service account, IRSA wiring, Job or S3 egress", () => {
    expect(all(json, "kubernetes_service_account_v1")).toEqual([]);
    expect(manifestResources(json, "Job")).toEqual([]);
    expect(es.snapshotServiceAccount).toBeUndefined();
    expect(es.snapshotJob).toBeUndefined();
    for (const nodeSet of helmValues.nodeSets) {
      expect(nodeSet.podTemplate.spec.serviceAccountName).toBeUndefined();
      expect(nodeSet.podTemplate.spec.volumes).toBeUndefined();
      expect(nodeSet.podTemplate.spec.containers[0].env).toBeUndefined();
    }
    expect(policy(json, "egress-object-store")).toBeUndefined();
    expect(policy(json, "egress-aws-sts")).toBeUndefined();
  });

  it("has no zone spread and lets volumes go with the cluster", () => {
    for (const nodeSet of helmValues.nodeSets) {
      expect(nodeSet.zoneAwareness).toBeUndefined();
      expect(nodeSet.podTemplate.spec.topologySpreadConstraints).toBeUndefined();
    }
    expect(helmValues.volumeClaimDeletePolicy).toBe("DeleteOnScaledownAndClusterDeletion");
  });

  it("opens 9200 to a client namespace on request", () => {
    const clientPolicy = policy(json, "ingress-clients-logging")!;
    expect(clientPolicy.spec.ingress[0]).toEqual({
      from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "logging" } } }],
      ports: [{ port: "9200", protocol: "TCP" }],
    });
    expect(clientPolicy.spec.pod_selector.match_labels).toEqual(es.podLabels);
  });

  it("closes the namespace by default", () => {
    expect(all(json, "kubernetes_namespace_v1")[0]!.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe(
      "restricted",
    );
    expect(policy(json, "default-deny")).toBeDefined();
  });
});

describe("Elasticsearch input checks", () => {
  it("refuses an empty set of node sets", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new Elasticsearch(scope, "es", {
          foundation: localFoundation,
          namespace: "elastic",
          chart: versions.charts.eckElasticsearch,
          version: "9.5.0",
          nodeSets: {},
        });
      }),
    ).toThrow(/at least one node set/);
  });
});

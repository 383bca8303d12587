import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { typedManifest } from "../manifest-types";
import { restrictedContainerSecurity, restrictedPodSecurity, tcpProbe } from "../pod-hardening";

export interface ElasticsearchExporterProps {
  /** Namespace of the ECK cluster: the exporter reads ECK's Secrets by reference, which only
   *  works inside their namespace. */
  readonly namespace: string;
  /** Name of the Elasticsearch resource (ECK derives `<name>-es-http`, `<name>-es-elastic-user`
   *  and `<name>-es-http-certs-public` from it). */
  readonly clusterName: string;
  /** Pinned prometheus-community exporter, e.g. quay.io/prometheuscommunity/elasticsearch-exporter:v1.11.0. */
  readonly image: string;
  /** What the exporter waits for (the Elasticsearch cluster). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

export const elasticsearchExporterPort = 9114;
export const elasticsearchExporterLabels: Readonly<Record<string, string>> = {
  "app.kubernetes.io/name": "elasticsearch-exporter",
  "app.kubernetes.io/part-of": "platform-monitoring",
};

/**
 * prometheus-community's elasticsearch_exporter as one Deployment next to the cluster: HTTPS to
 * `<cluster>-es-http:9200`, verified against ECK's CA (mounted from `<cluster>-es-http-certs-public`),
 * basic auth as `elastic` with the password from `<cluster>-es-elastic-user` (secretKeyRef, never a
 * value). The exporter only reads cluster, node and index statistics; ECK offers no smaller built-in
 * user, so a dedicated `remote_monitoring_collector` user is the next hardening step.
 */
export class ElasticsearchExporter extends Construct {
  readonly deployment: Manifest;
  readonly podLabels = elasticsearchExporterLabels;
  readonly port = elasticsearchExporterPort;

  constructor(scope: Construct, id: string, props: ElasticsearchExporterProps) {
    super(scope, id);
    if (!/[:@]/.test(props.image.split("/").pop() ?? ""))
      throw new Error(`ElasticsearchExporter: image must be pinned by tag or digest, got ${props.image}`);
    const cluster = props.clusterName;
    const caDir = "/etc/elasticsearch-ca";
    const nobody = 65534;
    this.deployment = typedManifest(this, "deployment", {
      manifest: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: {
          name: "elasticsearch-exporter",
          namespace: props.namespace,
          labels: { ...elasticsearchExporterLabels },
        },
        spec: {
          replicas: 1,
          revisionHistoryLimit: 3,
          selector: { matchLabels: { ...elasticsearchExporterLabels } },
          template: {
            metadata: { labels: { ...elasticsearchExporterLabels } },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: restrictedPodSecurity({ uid: nobody }),
              containers: [
                {
                  name: "exporter",
                  image: props.image,
                  imagePullPolicy: "IfNotPresent",
                  args: [
                    `--es.uri=https://${cluster}-es-http.${props.namespace}.svc:9200`,
                    `--es.ca=${caDir}/ca.crt`,
                    "--es.all",
                    "--es.indices",
                    "--es.timeout=30s",
                    `--web.listen-address=:${elasticsearchExporterPort}`,
                  ],
                  env: [
                    { name: "ES_USERNAME", value: "elastic" },
                    {
                      name: "ES_PASSWORD",
                      valueFrom: { secretKeyRef: { name: `${cluster}-es-elastic-user`, key: "elastic" } },
                    },
                  ],
                  ports: [{ name: "http", containerPort: elasticsearchExporterPort, protocol: "TCP" }],
                  readinessProbe: tcpProbe("http", { periodSeconds: 10 }),
                  livenessProbe: tcpProbe("http", { periodSeconds: 30, failureThreshold: 5 }),
                  resources: { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                  securityContext: restrictedContainerSecurity(),
                  volumeMounts: [{ name: "ca", mountPath: caDir, readOnly: true }],
                },
              ],
              volumes: [
                {
                  name: "ca",
                  projected: {
                    sources: [
                      {
                        secret: { name: `${cluster}-es-http-certs-public`, items: [{ key: "ca.crt", path: "ca.crt" }] },
                      },
                    ],
                  },
                },
              ],
            },
          },
        },
      },
      wait: { rollout: true },
      dependsOn: props.dependsOn,
    });
  }
}

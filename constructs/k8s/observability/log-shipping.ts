// Fluent Bit on every node, shipping container and node (kubelet, containerd) logs to the
// environment's Elasticsearch over verified TLS, into data streams whose lifecycle policy deletes
// them after the tier's retention.
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { typedManifest } from "../manifest-types";
import { assertNoTemplateSequences } from "../../../lib/terraform-text";
import type { NetworkPeer, SecretRef } from "../../platform/contract";
import { ExternalSecret } from "../external-secret";
import { HelmChart, type ChartSource } from "../helm-chart";
import { jobManifest } from "../job-manifest";
import { PlatformNamespace } from "../platform-namespace";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../pod-hardening";
import { monitoringNamespace, monitorSelectorLabels } from "./monitoring";

/**
 * Where Fluent Bit's Elasticsearch user comes from.
 * - `writer-user` (recommended): a dedicated user `username` whose password is
 *   a generated secret of the platform store. The set-up Job (as `elastic`) creates the user with a
 *   role that may only append to the log data streams; ExternalSecrets put the password in the
 *   Elasticsearch namespace (for the Job) and in the logging namespace (for Fluent Bit).
 * - `existing-secret`: a Secret already in the logging namespace.
 */
export type LogShippingCredentials =
  | {
      readonly kind: "writer-user";
      readonly password: SecretRef;
      /** @default fluent-bit */
      readonly username?: string;
    }
  | {
      readonly kind: "existing-secret";
      readonly secretName: string;
      readonly usernameKey: string;
      readonly passwordKey: string;
    };

export interface LogShippingProps {
  /** fluent-bit, pinned (versions.charts.fluentBit, 0.58.1). */
  readonly chart: ChartSource;
  /** Namespace of Fluent Bit. @default logging */
  readonly namespace?: string;
  readonly apiServer: NetworkPeer;
  readonly elasticsearch: {
    /** Namespace of the ECK cluster (`elastic`). */
    readonly namespace: string;
    /** Name of the Elasticsearch resource. @default elasticsearch */
    readonly clusterName?: string;
    /** Image with curl for the set-up Job: the Elasticsearch image of the cluster's version. */
    readonly setupImage: string;
    /** Labels of the Elasticsearch pods (ECK's), admitted for the logging namespace.
     *  @default ECK's cluster-name label: `elasticsearch.k8s.elastic.co/cluster-name` = clusterName */
    readonly podLabels?: Readonly<Record<string, string>>;
  };
  readonly credentials: LogShippingCredentials;
  /** Days a log stays searchable before its index lifecycle deletes it (per tier). */
  readonly retentionDays: number;
  /** Replicas of each log index: 0 on single-node clusters, 1 where a node may fail. @default 1 */
  readonly indexReplicas?: number;
  /** Namespace Prometheus runs in, admitted on Fluent Bit's metrics port.
   *  @default monitoring (`monitoringNamespace`) */
  readonly monitoringNamespace?: string;
  /** Fluent Bit's requests (and memory limit). @default 50m CPU, 128Mi memory requested, 512Mi limit */
  readonly resources?: {
    readonly cpu: string;
    readonly memory: string;
    /** @default the memory request */
    readonly memoryLimit?: string;
  };
  /** What the pipeline's resources wait for. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** Data streams Fluent Bit writes, and the lifecycle policy and template that govern them. */
export const logDataStreams = {
  containers: "logs-kubernetes.container-platform",
  nodes: "logs-kubernetes.node-platform",
} as const;
export const logIndexPattern = "logs-kubernetes.*-platform";
export const logLifecyclePolicy = "platform-logs";
export const logWriterRole = "platform-log-writer";
const metricsPort = 2020;
const esPort = 9200;
const stateDir = "/var/fluent-bit/state";
const caDir = "/fluent-bit/etc/elasticsearch-ca";

export class LogShipping extends Construct {
  readonly namespace: PlatformNamespace;
  readonly chart: HelmChart;
  readonly setupJob: Manifest;
  /** Secret in the logging namespace with Fluent Bit's user and password. */
  readonly credentialsSecret: { readonly name: string; readonly usernameKey: string; readonly passwordKey: string };
  /** Secret in the logging namespace with ECK's CA (key ca.crt), copied from the cluster's namespace. */
  readonly caSecret = "elasticsearch-ca";
  /** Index lifecycle policy and template the set-up Job applies (as JSON bodies). */
  readonly lifecycle: { readonly policy: object; readonly template: object };

  constructor(scope: Construct, id: string, props: LogShippingProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1)
      throw new Error(`LogShipping: retentionDays must be a whole number of days >= 1, got ${props.retentionDays}`);
    const ns = props.namespace ?? "logging";
    const es = props.elasticsearch;
    const esNs = es.namespace;
    const cluster = es.clusterName ?? "elasticsearch";
    const esHost = `${cluster}-es-http.${esNs}.svc`;
    const esPods = es.podLabels ?? { "elasticsearch.k8s.elastic.co/cluster-name": cluster };
    const deps = props.dependsOn ?? [];

    // Host paths (logs, the journal, Fluent Bit's own offsets): privileged Pod Security level.
    this.namespace = new PlatformNamespace(this, "ns", { name: ns, podSecurity: "privileged" });
    const nsDeps: ITerraformDependable[] = [this.namespace.namespace, ...deps];

    // --- ECK's CA, copied into this namespace ------------------------------------------------------
    // A pod mounts Secrets of its own namespace only. A namespaced SecretStore reads the one public
    // CA Secret of the Elasticsearch namespace through a service account allowed nothing else.
    const reader = "elasticsearch-ca-reader";
    const caSource = `${cluster}-es-http-certs-public`;
    const sa = new ServiceAccountV1(this, "ca-reader", {
      metadata: { name: reader, namespace: ns },
      automountServiceAccountToken: false,
      dependsOn: nsDeps,
    });
    const role = new RoleV1(this, "ca-reader-role", {
      metadata: { name: `${ns}-${reader}`, namespace: esNs },
      rule: [
        { apiGroups: [""], resources: ["secrets"], resourceNames: [caSource], verbs: ["get"] },
        { apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectrulesreviews"], verbs: ["create"] },
      ],
      dependsOn: deps,
    });
    new RoleBindingV1(this, "ca-reader-binding", {
      metadata: { name: `${ns}-${reader}`, namespace: esNs },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subject: [{ kind: "ServiceAccount", name: sa.metadata.name, namespace: ns }],
      dependsOn: deps,
    });
    const store = typedManifest(this, "ca-store", {
      manifest: {
        apiVersion: "external-secrets.io/v1",
        kind: "SecretStore",
        metadata: { name: "elasticsearch-ca", namespace: ns },
        spec: {
          provider: {
            kubernetes: {
              remoteNamespace: esNs,
              server: { caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt" } },
              auth: { serviceAccount: { name: reader } },
            },
          },
        },
      },
      dependsOn: [sa, ...nsDeps],
    });
    const caCopy = typedManifest(this, "ca-copy", {
      manifest: {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: this.caSecret, namespace: ns },
        spec: {
          refreshInterval: "1h",
          secretStoreRef: { kind: "SecretStore", name: "elasticsearch-ca" },
          target: { name: this.caSecret, creationPolicy: "Owner" },
          data: [{ secretKey: "ca.crt", remoteRef: { key: caSource, property: "ca.crt" } }],
        },
      },
      // Fluent Bit's pods need the Secret: wait until external-secrets has written it.
      wait: { condition: [{ type: "Ready", status: "True" }] },
      timeouts: { create: "15m", update: "15m" },
      dependsOn: [store],
    });

    // --- Credentials -------------------------------------------------------------------------------
    const credentialDeps: ITerraformDependable[] = [];
    // The Secret Fluent Bit's pods read, when this construct creates it.
    const shipperDeps: ITerraformDependable[] = [];
    let writer: { username: string; passwordSecret: string } | undefined;
    const creds = props.credentials;
    if (creds.kind === "writer-user") {
      const username = creds.username ?? "fluent-bit";
      const passwordSecret = "log-writer-password";
      // For the set-up Job, which runs next to the cluster (ECK's elastic user lives there).
      const forJob = new ExternalSecret(this, "writer-password", {
        namespace: esNs,
        secretName: passwordSecret,
        data: { password: creds.password },
        dependsOn: deps,
      });
      credentialDeps.push(forJob.manifest);
      const forShipper = new ExternalSecret(this, "credentials", {
        namespace: ns,
        secretName: "elasticsearch-credentials",
        data: { password: creds.password },
        template: { username },
        dependsOn: nsDeps,
      });
      shipperDeps.push(forShipper.manifest);
      this.credentialsSecret = { name: forShipper.secretName, usernameKey: "username", passwordKey: "password" };
      writer = { username, passwordSecret };
    } else {
      this.credentialsSecret = {
        name: creds.secretName,
        usernameKey: creds.usernameKey,
        passwordKey: creds.passwordKey,
      };
    }

    // --- Index lifecycle, template and writer user ---------------------------------------------------
    this.lifecycle = {
      policy: {
        policy: {
          _meta: { managed_by: "open-data-platform" },
          phases: {
            hot: { actions: { rollover: { max_age: "1d", max_primary_shard_size: "50gb" } } },
            delete: { min_age: `${props.retentionDays}d`, actions: { delete: {} } },
          },
        },
      },
      template: {
        index_patterns: [logIndexPattern],
        data_stream: {},
        // Above the built-in `logs` template (logs-*-*, priority 100).
        priority: 500,
        template: {
          settings: {
            "index.lifecycle.name": logLifecyclePolicy,
            "index.number_of_replicas": props.indexReplicas ?? 1,
            "index.mapping.total_fields.limit": 5000,
          },
          mappings: { properties: { "@timestamp": { type: "date" } } },
        },
        _meta: { managed_by: "open-data-platform" },
      },
    };
    this.setupJob = this.createSetupJob(esNs, cluster, es.setupImage, writer, [...credentialDeps, ...deps]);

    // --- Fluent Bit --------------------------------------------------------------------------------
    const outputs = (match: string, stream: string) =>
      [
        "[OUTPUT]",
        "    Name es",
        `    Match ${match}`,
        `    Host ${esHost}`,
        `    Port ${esPort}`,
        // Fluent Bit expands environment variables in its configuration; "$$" keeps Terraform
        // from reading "${" as its own template (it writes a single "$").
        "    HTTP_User $${ES_USERNAME}",
        "    HTTP_Passwd $${ES_PASSWORD}",
        "    tls On",
        "    tls.verify On",
        `    tls.ca_file ${caDir}/ca.crt`,
        `    Index ${stream}`,
        // Data streams accept create operations only.
        "    Write_Operation create",
        "    Suppress_Type_Name On",
        // Label keys such as app.kubernetes.io/name would clash with app as an object.
        "    Replace_Dots On",
        "    Trace_Error On",
        "    Retry_Limit False",
        "    storage.total_limit_size 2G",
        "",
      ].join("\n");
    const config = {
      service: [
        "[SERVICE]",
        "    Daemon Off",
        "    Flush {{ .Values.flush }}",
        "    Log_Level {{ .Values.logLevel }}",
        "    Parsers_File /fluent-bit/etc/parsers.conf",
        "    Parsers_File /fluent-bit/etc/conf/custom_parsers.conf",
        "    HTTP_Server On",
        "    HTTP_Listen 0.0.0.0",
        "    HTTP_Port {{ .Values.metricsPort }}",
        "    Health_Check On",
        // Chunks wait on the node's disk while Elasticsearch is unreachable.
        `    storage.path ${stateDir}/flb-storage/`,
        "    storage.sync normal",
        "    storage.backlog.mem_limit 16M",
        "",
      ].join("\n"),
      inputs: [
        "[INPUT]",
        "    Name tail",
        "    Path /var/log/containers/*.log",
        // Not its own output: an Elasticsearch error would otherwise feed on itself.
        `    Exclude_Path /var/log/containers/*_${ns}_*.log`,
        "    multiline.parser docker, cri",
        "    Tag kube.*",
        "    Mem_Buf_Limit 50MB",
        "    Skip_Long_Lines On",
        "    Refresh_Interval 10",
        `    DB ${stateDir}/flb_kube.db`,
        "    storage.type filesystem",
        "",
        "[INPUT]",
        "    Name systemd",
        "    Tag host.*",
        "    Systemd_Filter _SYSTEMD_UNIT=kubelet.service",
        "    Systemd_Filter _SYSTEMD_UNIT=containerd.service",
        "    Read_From_Tail On",
        "    Strip_Underscores On",
        `    DB ${stateDir}/flb_systemd.db`,
        "    storage.type filesystem",
        "",
      ].join("\n"),
      filters: [
        "[FILTER]",
        "    Name kubernetes",
        "    Match kube.*",
        "    Merge_Log On",
        // Parsed JSON lines go under one key, away from the pod metadata.
        "    Merge_Log_Key log_processed",
        "    Keep_Log Off",
        "    K8S-Logging.Parser On",
        "    K8S-Logging.Exclude On",
        "    Labels On",
        "    Annotations Off",
        "",
      ].join("\n"),
      outputs: [outputs("kube.*", logDataStreams.containers), outputs("host.*", logDataStreams.nodes)].join("\n"),
    };
    for (const [k, text] of Object.entries(config))
      assertNoTemplateSequences(text.replaceAll("$${", ""), `fluent-bit config.${k}`);

    const resources = props.resources ?? { cpu: "50m", memory: "128Mi", memoryLimit: "512Mi" };
    const secretEnv = (name: string, key: string) => ({
      name,
      valueFrom: { secretKeyRef: { name: this.credentialsSecret.name, key } },
    });
    this.chart = new HelmChart(this, "chart", {
      releaseName: "fluent-bit",
      namespace: ns,
      source: props.chart,
      values: {
        kind: "DaemonSet",
        // Logs of every node, whatever it is reserved for.
        tolerations: [{ operator: "Exists" }],
        testFramework: { enabled: false },
        rbac: { create: true },
        serviceAccount: { create: true },
        resources: {
          requests: { cpu: resources.cpu, memory: resources.memory },
          limits: { memory: resources.memoryLimit ?? resources.memory },
        },
        // Root without any capability or a writable image.
        securityContext: restrictedContainerSecurity({ root: { because: "the host's log files are root's" } }),
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } },
        env: [
          secretEnv("ES_USERNAME", this.credentialsSecret.usernameKey),
          secretEnv("ES_PASSWORD", this.credentialsSecret.passwordKey),
        ],
        daemonSetVolumes: [
          { name: "varlog", hostPath: { path: "/var/log" } },
          { name: "etcmachineid", hostPath: { path: "/etc/machine-id", type: "File" } },
          { name: "state", hostPath: { path: stateDir, type: "DirectoryOrCreate" } },
        ],
        daemonSetVolumeMounts: [
          { name: "varlog", mountPath: "/var/log", readOnly: true },
          { name: "etcmachineid", mountPath: "/etc/machine-id", readOnly: true },
          { name: "state", mountPath: stateDir },
        ],
        extraVolumes: [
          {
            name: "elasticsearch-ca",
            secret: { secretName: this.caSecret, items: [{ key: "ca.crt", path: "ca.crt" }] },
          },
        ],
        extraVolumeMounts: [{ name: "elasticsearch-ca", mountPath: caDir, readOnly: true }],
        serviceMonitor: { enabled: true, selector: { ...monitorSelectorLabels } },
        config,
      },
      dependsOn: [caCopy, this.setupJob, ...credentialDeps, ...shipperDeps, ...nsDeps],
    });

    // --- Network -----------------------------------------------------------------------------------
    this.namespace.allowEgressTo("elasticsearch", { kind: "namespace", namespace: esNs, ports: [esPort] });
    // The kubernetes filter reads pod metadata from the API server.
    this.namespace.allowEgressTo("api-server", props.apiServer);
    this.namespace.allowIngressFrom("prometheus", {
      kind: "namespace",
      namespace: props.monitoringNamespace ?? monitoringNamespace,
      ports: [metricsPort],
    });
    // The other side: Elasticsearch's namespace is closed too.
    new NetworkPolicyV1(this, "es-ingress", {
      metadata: { name: `allow-${ns}`, namespace: esNs },
      spec: {
        podSelector: { matchLabels: { ...esPods } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } }],
            ports: [{ port: String(esPort), protocol: "TCP" }],
          },
        ],
      },
      dependsOn: deps,
    });
  }

  /** ILM policy, index template and (writer-user) the role and user: idempotent PUTs, re-run when
   *  any of them changes (the Job's name carries a hash of its spec). */
  private createSetupJob(
    esNs: string,
    cluster: string,
    image: string,
    writer: { username: string; passwordSecret: string } | undefined,
    dependsOn: ITerraformDependable[],
  ): Manifest {
    const role = {
      cluster: ["monitor"],
      indices: [{ names: [logIndexPattern], privileges: ["create_doc", "auto_configure", "view_index_metadata"] }],
    };
    const script = [
      "set -eu",
      "umask 077",
      // The password reaches curl through a config file in memory, never its command line.
      `printf 'user = "elastic:%s"\\n' "$ELASTIC_PASSWORD" > /work/curl.cfg`,
      "es() {",
      "  curl -K /work/curl.cfg --fail-with-body -sS --cacert /etc/elasticsearch-ca/ca.crt -H 'Content-Type: application/json' \"$@\"",
      "}",
      "i=0",
      'until es "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=10s" >/dev/null; do',
      '  i=$((i+1)); if [ "$i" -ge 90 ]; then echo "Elasticsearch is not ready" >&2; exit 1; fi',
      "  sleep 10",
      "done",
      `es -X PUT "$ES_URL/_ilm/policy/${logLifecyclePolicy}" --data "$ILM_POLICY"`,
      "echo",
      `es -X PUT "$ES_URL/_index_template/${logLifecyclePolicy}" --data "$INDEX_TEMPLATE"`,
      "echo",
      ...(writer
        ? [
            `es -X PUT "$ES_URL/_security/role/${logWriterRole}" --data "$WRITER_ROLE"`,
            "echo",
            // JSON-escape the password (backslash and double quote) into a request body file.
            `pw=$(printf '%s' "$WRITER_PASSWORD" | sed 's/[\\\\"]/\\\\&/g')`,
            `printf '{"password":"%s","roles":["${logWriterRole}"],"full_name":"Log shipper"}' "$pw" > /work/user.json`,
            `es -X PUT "$ES_URL/_security/user/$WRITER_USER" --data @/work/user.json`,
            "echo",
          ]
        : []),
    ].join("\n");
    assertNoTemplateSequences(script, "log shipping set-up script");
    const labels = { "app.kubernetes.io/name": "log-shipping-setup", "app.kubernetes.io/part-of": "platform-logging" };
    return jobManifest(this, "setup", {
      baseName: "log-shipping-setup",
      namespace: esNs,
      labels,
      spec: {
        backoffLimit: 4,
        activeDeadlineSeconds: 1800,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurity({ uid: 1000 }),
            containers: [
              {
                name: "setup",
                image,
                command: ["/bin/sh", "-c", script],
                env: [
                  { name: "ES_URL", value: `https://${cluster}-es-http:${esPort}` },
                  {
                    name: "ELASTIC_PASSWORD",
                    valueFrom: { secretKeyRef: { name: `${cluster}-es-elastic-user`, key: "elastic" } },
                  },
                  { name: "ILM_POLICY", value: JSON.stringify(this.lifecycle.policy) },
                  { name: "INDEX_TEMPLATE", value: JSON.stringify(this.lifecycle.template) },
                  ...(writer
                    ? [
                        { name: "WRITER_ROLE", value: JSON.stringify(role) },
                        { name: "WRITER_USER", value: writer.username },
                        {
                          name: "WRITER_PASSWORD",
                          valueFrom: { secretKeyRef: { name: writer.passwordSecret, key: "password" } },
                        },
                      ]
                    : []),
                ],
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                securityContext: restrictedContainerSecurity(),
                volumeMounts: [
                  { name: "ca", mountPath: "/etc/elasticsearch-ca", readOnly: true },
                  { name: "work", mountPath: "/work" },
                ],
              },
            ],
            volumes: [
              {
                name: "ca",
                projected: {
                  sources: [
                    { secret: { name: `${cluster}-es-http-certs-public`, items: [{ key: "ca.crt", path: "ca.crt" }] } },
                  ],
                },
              },
              { name: "work", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
            ],
          },
        },
      },
      waitForCompletion: "30m",
      dependsOn,
    });
  }
}

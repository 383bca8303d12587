// Apache Superset through the Apache Superset Kubernetes operator (v0.2.0): one `Superset` custom
// resource in Production mode, so the operator's own validation rejects any inline secret. Around
// it: the closed namespace, the Secrets synced from the platform store, Valkey, a Job creating the
// first admin, and the network policies.
import { prefersInterruptible } from "../scheduling";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { typedManifest, type Superset as SupersetResource } from "../manifest-types";
import { resources } from "../addons/common";
import { ExternalSecret } from "../external-secret";
import { jobManifest } from "../job-manifest";
import { PlatformNamespace } from "../platform-namespace";
import {
  execProbe,
  httpProbe,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  spreadAcross,
  type ProbeTiming,
} from "../pod-hardening";
import type { ExposedService, WorkloadProps } from "./types";
import { Valkey } from "./valkey";
import { baseConfig, beatConfig } from "./superset-config";
import {
  driverScript,
  driversDir,
  pythonPath,
  supersetTaskPodSpec,
  supersetUid,
  supersetWritableRoot,
  type SupersetTask,
} from "./superset-task";
import { assertNoTemplateSequences } from "../../../lib/terraform-text";

type Resources = ReturnType<typeof resources>;

export interface SupersetProps extends WorkloadProps {
  readonly webReplicas: number;
  readonly workerReplicas: number;
  /** Superset image; pin an immutable release tag (the operator keys `db upgrade` on repository:tag). */
  readonly image: { readonly repository: string; readonly tag: string };
  /** pip requirements the lean image lacks, each pinned with `==` (versions.images.supersetDrivers). */
  readonly drivers: readonly string[];
  /** Pinned Valkey image (versions.images.valkey). */
  readonly valkeyImage: string;
  /** Name of the Superset resource; the operator derives `<name>-web-server` etc. from it. @default superset */
  readonly name?: string;
  /** Requests and limits of each web server. @default 500m CPU and 1Gi memory requested, 2Gi memory limit */
  readonly webResources?: Resources;
  /** Requests and limits of each Celery worker. @default 500m CPU and 1Gi memory requested, 2Gi memory limit */
  readonly workerResources?: Resources;
  /** Requests and limits of Celery beat. @default 100m CPU and 512Mi memory requested, 768Mi memory limit */
  readonly beatResources?: Resources;
  /** Lifecycle tasks (migrate, init) and the admin Job. @default 250m CPU and 1Gi memory requested, 2Gi memory limit */
  readonly taskResources?: Resources;
  /** Email domain of the first admin. @default the Foundation's domain */
  readonly adminEmailDomain?: string;
}

export const supersetApiVersion = "superset.apache.org/v1alpha1";
/** Port of the web server (and of its Service) in operator v0.2.0. */
export const supersetWebPort = 8088;
/** The first admin's user name; its password comes from the secret store. */
export const supersetAdminUser = "platform-admin";
/** Label carried by every Superset pod (components, lifecycle tasks, CLI Jobs); Valkey's pods lack it. */
export const supersetPodLabels: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "superset" };
/** Dremio's Arrow Flight port, which Superset's Dremio driver (sqlalchemy-dremio, dremio+flight) uses. */
export const dremioFlightPort = 32010;

const pinned = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!_-]+$/;

/**
 * Superset (web server, Celery worker and beat) on the environment's PostgreSQL and its own Valkey.
 *
 * - Metastore: `metastore.uriFrom` a Secret whose `uri` key external-secrets renders from the
 *   store's username, password and database. The CRD's structured fields need the user and
 *   database name as literals in the resource, and the Foundation contract keeps those in the
 *   store too; the templated URI keeps all three by reference and carries `sslmode=require`.
 * - SECRET_KEY: `secretKeyFrom` the generated `superset-secret-key` (stable across deploys).
 * - Drivers: installed by the operator's `bootstrapScript` before every component and lifecycle
 *   task (needs HTTPS egress to the package index). Air-gapped installations bake a derived image
 *   (`FROM apache/superset:<tag>` + `uv pip install` of the same pins), set it as `image`, pass
 *   `drivers: []` and the script and HTTPS egress disappear.
 * - Migrations (`superset db upgrade`) and `superset init` are the operator's lifecycle tasks. The
 *   first admin is a separate Job: the CRD's `lifecycle.init.adminUser` is Development-only.
 * - Network: closed namespace; Superset pods may reach PostgreSQL and HTTPS; the entry point may
 *   reach the web server on 8088; Valkey is reachable within the namespace only. The operator's
 *   own `spec.networkPolicy` is left unset: it admits 8088 from anywhere and all egress.
 */
export class Superset extends Construct {
  readonly name: string;
  readonly namespace: PlatformNamespace;
  readonly valkey: Valkey;
  readonly resource: Manifest;
  readonly adminJob: Manifest;
  readonly exposed: ExposedService;
  /** Labels of the web server pods, as the operator sets them. */
  readonly webPodLabels: Record<string, string>;
  /** For further CLI Jobs beside create-admin (e.g. registering a database connection). */
  readonly task: SupersetTask;

  constructor(scope: Construct, id: string, props: SupersetProps) {
    super(scope, id);
    const name = props.name ?? "superset";
    validate(name, props);
    this.name = name;
    const ns = props.namespace;
    const foundation = props.foundation;

    this.namespace = new PlatformNamespace(this, "ns", { name: ns });
    const deps: ITerraformDependable[] = [this.namespace.namespace, ...(props.dependsOn ?? [])];

    // --- Secrets, by reference only --------------------------------------------------------------
    const dbKey = foundation.postgres.appSecretKeys.superset;
    const metastore = new ExternalSecret(this, "metastore", {
      namespace: ns,
      secretName: `${name}-metastore`,
      data: {
        username: { key: dbKey, property: "username" },
        password: { key: dbKey, property: "password" },
        database: { key: dbKey, property: "database" },
      },
      template: {
        uri: `postgresql+psycopg2://{{ .username | urlquery }}:{{ .password | urlquery }}@${foundation.postgres.host}:${foundation.postgres.port}/{{ .database | urlquery }}?sslmode=require`,
      },
      dependsOn: deps,
    });
    const secretKey = new ExternalSecret(this, "secret-key", {
      namespace: ns,
      secretName: `${name}-secret-key`,
      data: { "secret-key": { key: foundation.secretKeys["superset-secret-key"], property: "password" } },
      dependsOn: deps,
    });
    const admin = new ExternalSecret(this, "admin", {
      namespace: ns,
      secretName: `${name}-admin`,
      data: { password: { key: foundation.secretKeys["superset-admin"], property: "password" } },
      dependsOn: deps,
    });

    this.valkey = new Valkey(this, "valkey", {
      namespace: ns,
      name: `${name}-valkey`,
      image: props.valkeyImage,
      password: { key: foundation.secretKeys["superset-valkey"], property: "password" },
      dependsOn: deps,
    });

    // --- The Superset resource -------------------------------------------------------------------
    const labels = (component: string) => ({
      "app.kubernetes.io/name": "superset",
      "app.kubernetes.io/component": component,
      "app.kubernetes.io/instance": name,
    });
    this.webPodLabels = labels("web-server");
    const spread = (component: string) =>
      foundation.zoneSpread
        ? {
            topologySpreadConstraints: [
              spreadAcross("zone", labels(component), {
                whenUnsatisfiable: "DoNotSchedule",
                matchLabelKeys: ["pod-template-hash"],
              }),
            ],
          }
        : {};
    // A voluntary disruption (node drain, Karpenter consolidation) takes one pod at a time.
    const pdb = (replicas: number) => (replicas > 1 ? { podDisruptionBudget: { maxUnavailable: 1 } } : {});
    const health = (timing: ProbeTiming) => httpProbe("/health", supersetWebPort, { timeoutSeconds: 5, ...timing });
    const installDrivers = driverScript(props.drivers);

    const spec: SupersetResource["spec"] = {
      environment: "Production",
      image: { repository: props.image.repository, tag: props.image.tag, pullPolicy: "IfNotPresent" },
      secretKeyFrom: { name: secretKey.secretName, key: "secret-key" },
      metastore: { uriFrom: { name: metastore.secretName, key: "uri" } },
      valkey: { host: this.valkey.host, port: this.valkey.port, passwordFrom: { ...this.valkey.passwordSecret } },
      ...(installDrivers ? { bootstrapScript: installDrivers } : {}),
      config: baseConfig,
      deploymentTemplate: { revisionHistoryLimit: 3 },
      // Inherited by every component and lifecycle task (component values win where set).
      podTemplate: {
        podSecurityContext: restrictedPodSecurity({ uid: supersetUid, fsGroup: supersetUid }),
        volumes: [{ name: "drivers", emptyDir: { sizeLimit: "512Mi" } }],
        container: {
          securityContext: restrictedContainerSecurity({ writableRootFilesystem: supersetWritableRoot }),
          env: [{ name: "PYTHONPATH", value: pythonPath }],
          volumeMounts: [{ name: "drivers", mountPath: driversDir }],
          resources: props.taskResources ?? resources("250m", "1Gi", "2Gi"),
        },
      },
      webServer: {
        replicas: props.webReplicas,
        service: { type: "ClusterIP", port: supersetWebPort },
        ...pdb(props.webReplicas),
        podTemplate: {
          ...spread("web-server"),
          ...prefersInterruptible(foundation.interruptible),
          container: {
            resources: props.webResources ?? resources("500m", "1Gi", "2Gi"),
            // The driver install runs before gunicorn starts: allow up to 5 minutes.
            startupProbe: health({ periodSeconds: 10, failureThreshold: 30 }),
            readinessProbe: health({ periodSeconds: 10, failureThreshold: 3 }),
            livenessProbe: health({ periodSeconds: 15, failureThreshold: 4 }),
          },
        },
      },
      celeryWorker: {
        replicas: props.workerReplicas,
        ...pdb(props.workerReplicas),
        podTemplate: {
          ...spread("celery-worker"),
          ...prefersInterruptible(foundation.interruptible),
          container: {
            resources: props.workerResources ?? resources("500m", "1Gi", "2Gi"),
            // The operator sets no worker probe: ask this worker to answer a broker ping.
            livenessProbe: execProbe(
              [
                "/bin/sh",
                "-c",
                "celery --app=superset.tasks.celery_app:app inspect ping --destination celery@$HOSTNAME",
              ],
              {
                initialDelaySeconds: 120,
                periodSeconds: 60,
                timeoutSeconds: 60,
                failureThreshold: 3,
              },
            ),
          },
        },
      },
      // Singleton by design (two beats would schedule every report twice).
      celeryBeat: {
        config: beatConfig,
        podTemplate: { container: { resources: props.beatResources ?? resources("100m", "512Mi", "768Mi") } },
      },
      lifecycle: {
        podRetention: { policy: "RetainOnFailure" },
        migrate: { timeout: "20m", maxRetries: 3 },
        init: { timeout: "15m", maxRetries: 3 },
      },
    };
    assertNoTemplateSequences(spec, "spec");

    this.resource = typedManifest(this, "superset", {
      manifest: { apiVersion: supersetApiVersion, kind: "Superset", metadata: { name, namespace: ns }, spec },
      dependsOn: [metastore.manifest, secretKey.manifest, this.valkey.service, ...deps],
    });

    // --- CLI Jobs: the first admin, and further ones (e.g. registering a database connection) ---
    // The same transport variables the operator injects in uriFrom mode, read by the same two lines
    // it renders into superset_config.py.
    const cliConfig = new ConfigMapV1(this, "admin-config", {
      metadata: { name: `${name}-create-admin`, namespace: ns },
      data: {
        "superset_config.py": [
          "import os",
          "SECRET_KEY = os.environ['SUPERSET_OPERATOR__SECRET_KEY']",
          "SQLALCHEMY_DATABASE_URI = os.environ['SUPERSET_OPERATOR__DB_URI']",
          "",
        ].join("\n"),
      },
      dependsOn: [admin.manifest, metastore.manifest, secretKey.manifest, ...deps],
    });
    this.task = {
      namespace: ns,
      instance: name,
      image: `${props.image.repository}:${props.image.tag}`,
      installDrivers,
      configMapName: `${name}-create-admin`,
      env: [
        { name: "PYTHONPATH", value: pythonPath },
        { name: "SUPERSET_OPERATOR__DB_URI", valueFrom: { secretKeyRef: { name: metastore.secretName, key: "uri" } } },
        {
          name: "SUPERSET_OPERATOR__SECRET_KEY",
          valueFrom: { secretKeyRef: { name: secretKey.secretName, key: "secret-key" } },
        },
      ],
      resources: props.taskResources ?? resources("250m", "1Gi", "2Gi"),
      dependsOn: [cliConfig, metastore.manifest, secretKey.manifest, ...deps],
    };
    this.adminJob = this.createAdminJob(
      this.task,
      `admin@${props.adminEmailDomain ?? foundation.domain}`,
      admin.secretName,
      [cliConfig, admin.manifest, metastore.manifest, secretKey.manifest, ...deps],
    );

    // --- Network ---------------------------------------------------------------------------------
    // Every Superset pod (components, lifecycle tasks, the admin Job) carries this label; Valkey does not.
    const supersetPods = { "app.kubernetes.io/name": "superset" };
    this.namespace.allowEgressTo("postgres", foundation.postgres.network, supersetPods);
    // pip for the drivers; gone with a derived image that already holds them.
    if (installDrivers) this.namespace.allowHttpsEgress(supersetPods);
    this.namespace.allowIngressFrom(
      "web",
      { ...foundation.ingressSource, ports: [supersetWebPort] },
      this.webPodLabels,
    );

    this.exposed = {
      host: `superset.${foundation.domain}`,
      namespace: ns,
      serviceName: `${name}-web-server`,
      servicePort: supersetWebPort,
      targetPort: supersetWebPort,
      podLabels: this.webPodLabels,
      healthPath: "/health",
      dependsOn: [this.namespace.namespace],
    };
  }

  /**
   * Lets every Superset pod reach Dremio's Arrow Flight port in `namespace` (what the Dremio
   * database connection uses). Idempotent: a second call for the same namespace returns the same policy.
   */
  allowDremio(namespace: string, port: number = dremioFlightPort): NetworkPolicyV1 {
    const name = `dremio-${namespace}`;
    const existing = this.namespace.node.tryFindChild(`np-egress-${name}`);
    if (existing) return existing as NetworkPolicyV1;
    return this.namespace.allowEgressTo(
      name,
      { kind: "namespace", namespace, ports: [port] },
      { ...supersetPodLabels },
    );
  }

  private createAdminJob(
    task: SupersetTask,
    email: string,
    adminSecret: string,
    dependsOn: ITerraformDependable[],
  ): Manifest {
    // Waits for the operator's migrate and init tasks (tables and the Admin role), then creates the
    // user once: `fab create-admin` exits 0 even when it creates nothing, so its output decides.
    const script = [
      "set -u",
      task.installDrivers,
      "attempt=0",
      "while [ $attempt -lt 40 ]; do",
      "  attempt=$((attempt + 1))",
      `  out=$(superset fab create-admin --username ${supersetAdminUser} --firstname Platform --lastname Admin --email ${email} --password "$ADMIN_PASSWORD" 2>&1)`,
      "  printf '%s\\n' \"$out\" | tail -n 3",
      '  case "$out" in',
      `    *"already exists"*) echo "${supersetAdminUser} already exists"; exit 0 ;;`,
      `    *"${supersetAdminUser} created"*) exit 0 ;;`,
      "  esac",
      '  echo "attempt $attempt: metastore not ready (migrate/init pending); retrying in 30s"',
      "  sleep 30",
      "done",
      "exit 1",
      "",
    ]
      .filter((line) => line !== "")
      .join("\n");
    const labels = { "app.kubernetes.io/name": "superset", "app.kubernetes.io/component": "create-admin" };
    // Named after a hash of its content (the script, the image and the rest of the Job): a changed
    // Job is a new object, as Jobs are immutable.
    return jobManifest(this, "create-admin", {
      baseName: `${task.instance}-create-admin`,
      namespace: task.namespace,
      labels,
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: 1800,
        // Kept once finished (no TTL: see jobManifest); a re-run would only report that the user exists.
        template: {
          metadata: { labels: { ...labels, "app.kubernetes.io/instance": task.instance } },
          spec: supersetTaskPodSpec(task, {
            name: "create-admin",
            script,
            env: [{ name: "ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: adminSecret, key: "password" } } }],
          }),
        },
      },
      // Not waited for: it waits itself for the operator's migrate and init tasks.
      dependsOn,
    });
  }
}

function validate(name: string, props: SupersetProps): void {
  // CRD rules: a DNS label, and <= 48 characters while lifecycle tasks are enabled.
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 48) {
    throw new Error(
      `Superset name "${name}": must be a DNS label of at most 48 characters (operator v0.2.0 derives <name>-migrate-config from it)`,
    );
  }
  for (const [field, replicas] of [
    ["webReplicas", props.webReplicas],
    ["workerReplicas", props.workerReplicas],
  ] as const) {
    if (!Number.isInteger(replicas) || replicas < 1)
      throw new Error(`Superset ${field}: must be an integer >= 1, got ${replicas}`);
  }
  if (!props.image.tag || props.image.tag === "latest") {
    throw new Error(
      `Superset image tag: pin a release tag (the operator re-runs migrations only when repository:tag changes), got "${props.image.tag}"`,
    );
  }
  for (const driver of props.drivers) {
    if (!pinned.test(driver)) throw new Error(`Superset driver "${driver}": must be pinned as name==version`);
  }
}

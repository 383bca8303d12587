// dbt on a schedule: a CronJob running a project image (dbt-core, dbt-dremio and the project) against
// Dremio's REST API. No chart exists for this; plain Kubernetes resources, the CronJob as a
// kubernetes_manifest (the generated CronJobV1 class would cost synthesis time).
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { typedManifest } from "../manifest-types";
import type { Foundation } from "../../platform/contract";
import { resources } from "../addons/common";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../pod-hardening";
import { ExternalSecret } from "../external-secret";
import { PlatformNamespace } from "../platform-namespace";

type Resources = ReturnType<typeof resources>;

/** Where dbt reaches Dremio. */
export interface DbtDremioEndpoint {
  /** Host of Dremio's REST API (the coordinator's client Service), e.g. dremio-client.dremio.svc.cluster.local. */
  readonly host: string;
  /** REST port (dbt-dremio talks REST only: /apiv2/login, /api/v3/sql). */
  readonly port?: number;
  /** Namespace Dremio runs in, for the egress policy. */
  readonly namespace: string;
  /** HTTPS to the REST API; in-cluster Dremio OSS serves plain HTTP on 9047. */
  readonly useSsl?: boolean;
}

export interface DbtProps {
  readonly foundation: Foundation;
  /** Namespace dbt owns (created, closed by default-deny). @default dbt */
  readonly namespace?: string;
  /** Five-field cron expression, interpreted in `timeZone`. */
  readonly schedule: string;
  /** IANA time zone of `schedule`. @default Etc/UTC */
  readonly timeZone?: string;
  /** The dbt project image, pinned by tag (not latest) or digest. */
  readonly image: string;
  /** profiles.yml output the run uses (`--target`). */
  readonly target: string;
  readonly threads: number;
  readonly dremio: DbtDremioEndpoint;
  /** Dremio user dbt runs as; its password is the store's `dremio-dbt` secret. @default dbt */
  readonly user?: string;
  /** Dremio source for tables and seeds (object_storage_source). @default lake */
  readonly lakeSource?: string;
  /** Path inside the source for tables (object_storage_path, dot-separated).
   *  @default the Foundation's silver bucket */
  readonly lakePath?: string;
  /** Dremio space for views (dremio_space) and the folder inside it (dremio_space_folder). @default analytics */
  readonly space?: string;
  /** Folder inside `space` for views (dremio_space_folder). @default no_schema */
  readonly spaceFolder?: string;
  /** Profile name in profiles.yml; the default command selects it with --profile, whatever
   *  dbt_project.yml names. @default platform */
  readonly profileName?: string;
  /** Container command; the default selects the profile whatever dbt_project.yml names.
   *  @default dbt build --profile <profileName> --target <target> --profiles-dir /profiles */
  readonly command?: readonly string[];
  /** The project directory inside the image (the command's working directory). @default /usr/app */
  readonly workingDir?: string;
  /** Numeric uid/gid the container runs as (the image's user). @default 1000 */
  readonly runAsUser?: number;
  /** Requests and limits of the run's container. @default 250m CPU and 512Mi memory requested, 1Gi memory limit */
  readonly resources?: Resources;
  /** A missed run still starts if the controller notices within this many seconds. @default 600 */
  readonly startingDeadlineSeconds?: number;
  /** Retries of a failed run (each a new pod, so the failed pod's logs stay). @default 1 */
  readonly backoffLimit?: number;
  /** A run taking longer is stopped. @default 14400 (4 hours) */
  readonly activeDeadlineSeconds?: number;
  /** Finished Jobs (and their pods' logs) are deleted this long after they end. @default 259200 (3 days) */
  readonly ttlSecondsAfterFinished?: number;
  /** Stops scheduling (e.g. a standby whose lake is a replica). @default false */
  readonly suspend?: boolean;
  /** What the CronJob and its Secrets wait for besides the namespace. @default the namespace only */
  readonly dependsOn?: ITerraformDependable[];
}

/** Where the project writes at run time: dbt's target/ and logs/, and HOME. */
const scratchDir = "/tmp";
const profilesDir = "/profiles";
/** The password reaches dbt through this variable: the DBT_ENV_SECRET_ prefix makes dbt scrub its
 *  value from logs and refuse it outside profiles.yml and packages.yml. */
export const dbtPasswordEnv = "DBT_ENV_SECRET_DREMIO_PASSWORD";
const cronField = /^\S+$/;

/**
 * dbt as a CronJob in its own closed namespace.
 *
 * - Profiles: a ConfigMap holding profiles.yml, whose password is `{{ env_var('DBT_ENV_SECRET_...') }}`;
 *   the variable comes from a Secret that external-secrets syncs from the store's `dremio-dbt`
 *   key. Chosen over a profiles.yml Secret rendered by an ExternalSecret template: dbt's Jinja
 *   `{{ }}` and external-secrets' Go templates share their delimiters, so a templated profile could
 *   not keep any env_var; the ConfigMap is plain, reviewable text in the plan with no secret in it,
 *   and the password never lands in a file.
 * - Run: `concurrencyPolicy: Forbid` (a slow run is never overlapped), history 3 succeeded / 5 failed,
 *   a deadline and a TTL, non-root, read-only root file system, dbt's target/ and logs/ on an emptyDir,
 *   no service account token, anonymous usage stats off (no egress for them, and nothing written to
 *   the read-only profiles directory).
 * - Network: default-deny; egress to DNS and to Dremio's REST port only. dbt-dremio does not use
 *   Arrow Flight, so 32010 stays closed. The image must hold its packages (`dbt deps` at build).
 * - Manual run: `manualRunCommand` creates a Job from the CronJob's template (concurrencyPolicy does
 *   not apply to it: check no scheduled run is active first).
 */
export class Dbt extends Construct {
  readonly namespace: PlatformNamespace;
  readonly cronJob: Manifest;
  readonly cronJobName: string;
  /** kubectl command that starts a run now, from the CronJob's template. */
  readonly manualRunCommand: string;
  /** The rendered profiles.yml (no secret in it). */
  readonly profilesYaml: string;
  readonly podLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: DbtProps) {
    super(scope, id);
    validate(props);
    const ns = props.namespace ?? "dbt";
    const foundation = props.foundation;
    const name = "dbt";
    const port = props.dremio.port ?? 9047;
    const profile = props.profileName ?? "platform";
    this.cronJobName = name;
    this.podLabels = {
      "app.kubernetes.io/name": "dbt",
      "app.kubernetes.io/component": "run",
      "app.kubernetes.io/instance": name,
    };

    this.namespace = new PlatformNamespace(this, "ns", { name: ns, allowWithinNamespace: false });
    const deps: ITerraformDependable[] = [this.namespace.namespace, ...(props.dependsOn ?? [])];

    const password = new ExternalSecret(this, "password", {
      namespace: ns,
      secretName: `${name}-dremio`,
      data: { password: { key: foundation.secretKeys["dremio-dbt"], property: "password" } },
      dependsOn: deps,
    });

    this.profilesYaml = renderProfiles({
      profile,
      target: props.target,
      host: props.dremio.host,
      port,
      useSsl: props.dremio.useSsl ?? false,
      user: props.user ?? "dbt",
      source: props.lakeSource ?? "lake",
      path: props.lakePath ?? foundation.objectStore.buckets.silver,
      space: props.space ?? "analytics",
      spaceFolder: props.spaceFolder ?? "no_schema",
      threads: props.threads,
    });
    const profilesName = `${name}-profiles`;
    const profiles = new ConfigMapV1(this, "profiles", {
      metadata: { name: profilesName, namespace: ns, labels: this.podLabels },
      data: { "profiles.yml": this.profilesYaml },
      dependsOn: deps,
    });

    const command = props.command ?? [
      "dbt",
      "build",
      "--profile",
      profile,
      "--target",
      props.target,
      "--profiles-dir",
      profilesDir,
    ];
    const uid = props.runAsUser ?? 1000;
    const pod = {
      restartPolicy: "Never",
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: restrictedPodSecurity({ uid, fsGroup: uid }),
      containers: [
        {
          name: "dbt",
          image: props.image,
          imagePullPolicy: "IfNotPresent",
          workingDir: props.workingDir ?? "/usr/app",
          command: [...command],
          env: [
            { name: "DBT_PROFILES_DIR", value: profilesDir },
            { name: "DBT_TARGET_PATH", value: `${scratchDir}/dbt/target` },
            { name: "DBT_LOG_PATH", value: `${scratchDir}/dbt/logs` },
            { name: "DBT_SEND_ANONYMOUS_USAGE_STATS", value: "false" },
            { name: "HOME", value: scratchDir },
            { name: dbtPasswordEnv, valueFrom: { secretKeyRef: { name: password.secretName, key: "password" } } },
          ],
          resources: props.resources ?? resources("250m", "512Mi", "1Gi"),
          securityContext: restrictedContainerSecurity({ uid }),
          volumeMounts: [
            { name: "profiles", mountPath: profilesDir, readOnly: true },
            { name: "scratch", mountPath: scratchDir },
          ],
        },
      ],
      volumes: [
        { name: "profiles", configMap: { name: profilesName } },
        { name: "scratch", emptyDir: { sizeLimit: "1Gi" } },
      ],
    };

    this.cronJob = typedManifest(this, "cronjob", {
      manifest: {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name, namespace: ns, labels: this.podLabels },
        spec: {
          schedule: props.schedule,
          timeZone: props.timeZone ?? "Etc/UTC",
          suspend: props.suspend ?? false,
          concurrencyPolicy: "Forbid",
          startingDeadlineSeconds: props.startingDeadlineSeconds ?? 600,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 5,
          jobTemplate: {
            metadata: { labels: this.podLabels },
            spec: {
              backoffLimit: props.backoffLimit ?? 1,
              activeDeadlineSeconds: props.activeDeadlineSeconds ?? 4 * 3600,
              ttlSecondsAfterFinished: props.ttlSecondsAfterFinished ?? 3 * 86400,
              template: { metadata: { labels: this.podLabels }, spec: pod },
            },
          },
        },
      },
      dependsOn: [profiles, password.manifest, ...deps],
    });

    // DNS comes with the namespace; the only other flow is dbt -> Dremio's REST API.
    this.namespace.allowEgressTo(
      "dremio",
      { kind: "namespace", namespace: props.dremio.namespace, ports: [port] },
      this.podLabels,
    );

    this.manualRunCommand = `kubectl -n ${ns} create job --from=cronjob/${name} ${name}-manual-$(date -u +%Y%m%d%H%M%S)`;
  }
}

interface ProfileInputs {
  profile: string;
  target: string;
  host: string;
  port: number;
  useSsl: boolean;
  user: string;
  source: string;
  path: string;
  space: string;
  spaceFolder: string;
  threads: number;
}

/** profiles.yml for Dremio Software with a user and password (dbt-dremio 1.10 field names). */
export function renderProfiles(inputs: ProfileInputs): string {
  const quote = (text: string) => JSON.stringify(text); // a YAML double-quoted scalar
  return [
    "# Rendered by the platform (constructs/k8s/workloads/dbt.ts). No secret here: the password is read",
    `# from ${dbtPasswordEnv}, set from a Secret that external-secrets syncs from the store.`,
    `${inputs.profile}:`,
    `  target: ${quote(inputs.target)}`,
    "  outputs:",
    `    ${quote(inputs.target)}:`,
    "      type: dremio",
    `      software_host: ${quote(inputs.host)}`,
    `      port: ${inputs.port}`,
    `      use_ssl: ${inputs.useSsl}`,
    `      user: ${quote(inputs.user)}`,
    `      password: "{{ env_var('${dbtPasswordEnv}') }}"`,
    `      object_storage_source: ${quote(inputs.source)}`,
    `      object_storage_path: ${quote(inputs.path)}`,
    `      dremio_space: ${quote(inputs.space)}`,
    `      dremio_space_folder: ${quote(inputs.spaceFolder)}`,
    `      threads: ${inputs.threads}`,
    "",
  ].join("\n");
}

function validate(props: DbtProps): void {
  const fields = props.schedule.trim().split(/\s+/);
  if (fields.length !== 5 || !fields.every((field) => cronField.test(field))) {
    throw new Error(`dbt schedule "${props.schedule}": must be a five-field cron expression such as "0 2 * * *"`);
  }
  if (!/[:@]/.test(props.image) || /:latest$/.test(props.image)) {
    throw new Error(`dbt image "${props.image}": pin a tag other than latest, or a digest`);
  }
  if (!Number.isInteger(props.threads) || props.threads < 1 || props.threads > 64) {
    throw new Error(`dbt threads: must be an integer from 1 to 64, got ${props.threads}`);
  }
  if (!/^[A-Za-z0-9_-]+$/.test(props.target))
    throw new Error(`dbt target "${props.target}": letters, digits, "_" and "-" only`);
  if (props.profileName !== undefined && !/^[A-Za-z0-9_-]+$/.test(props.profileName)) {
    throw new Error(`dbt profileName "${props.profileName}": letters, digits, "_" and "-" only`);
  }
  if (props.command && props.command.length === 0) throw new Error("dbt command: must not be empty");
  // Terraform reads "${" and "%{" in a string as template syntax.
  for (const text of [...(props.command ?? []), props.dremio.host, props.lakePath ?? "", props.space ?? ""]) {
    if (/[$%]\{/.test(text)) throw new Error(`dbt: "${text}" contains a Terraform template sequence ("\${" or "%{")`);
  }
}

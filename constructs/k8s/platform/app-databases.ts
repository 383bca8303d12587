import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { PostgresEndpoint } from "../../platform/contract";
import { ExternalSecret } from "../external-secret";
import { jobManifest } from "../job-manifest";
import { PlatformNamespace } from "../platform-namespace";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../pod-hardening";

export interface AppDatabasesProps {
  readonly namespace: string;
  readonly postgres: PostgresEndpoint & { readonly admin: NonNullable<PostgresEndpoint["admin"]> };
  /** Application -> extra role attributes (Temporal's auto-setup creates its own databases). */
  readonly apps: Record<
    string,
    {
      /** The role may create databases. @default false */
      readonly createdb?: boolean;
    }
  >;
  /** psql client image (official postgres image, pinned). */
  readonly image: string;
  /** What the ExternalSecrets wait for besides the namespace (the platform secret store they name).
   *  @default the namespace only */
  readonly dependsOn?: ITerraformDependable[];
}

// Idempotent: creates each role and database if missing, and (re)sets the role's password from
// its Secret, so rotating a secret and re-running the Job converges. Values reach psql as
// variables (:'name'), never spliced into SQL text; secrets are read from mounted files.
const script = `set -eu
for app in $APPS; do
  d=/secrets/$app
  if grep -qx "$app" /scripts/createdb; then createdb=true; else createdb=false; fi
  psql -v ON_ERROR_STOP=1 -v user="$(cat "$d/username")" -v pass="$(cat "$d/password")" -v db="$(cat "$d/database")" -v createdb="$createdb" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \\gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L %s', :'user', :'pass', CASE WHEN :'createdb' = 'true' THEN 'CREATEDB' ELSE 'NOCREATEDB' END) \\gexec
SELECT format('GRANT %I TO CURRENT_USER', :'user') \\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \\gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \\gexec
SQL
  echo "database $app ready"
done
`;

/** Creates the application databases and roles on the environment's PostgreSQL with a Job whose
 *  credentials all come from Secrets. */
export class AppDatabases extends Construct {
  readonly job: Manifest;

  constructor(scope: Construct, id: string, props: AppDatabasesProps) {
    super(scope, id);
    const ns = new PlatformNamespace(this, "ns", { name: props.namespace, allowWithinNamespace: false });
    ns.allowEgressTo("postgres", props.postgres.network);
    const apps = Object.keys(props.apps);
    const secretDeps = [ns.namespace, ...(props.dependsOn ?? [])];
    const admin = new ExternalSecret(this, "admin", {
      namespace: props.namespace,
      secretName: "postgres-admin",
      data: { username: props.postgres.admin.username, password: props.postgres.admin.password },
      dependsOn: secretDeps,
    });
    const appSecrets = apps.map(
      (app) =>
        new ExternalSecret(this, `secret-${app}`, {
          namespace: props.namespace,
          secretName: `postgres-${app}`,
          data: Object.fromEntries(
            ["username", "password", "database"].map((k) => [
              k,
              { key: props.postgres.appSecretKeys[app as never], property: k },
            ]),
          ),
          dependsOn: secretDeps,
        }),
    );
    const configName = "app-databases";
    const createdb = apps.filter((app) => props.apps[app]!.createdb).join("\n");
    const config = new ConfigMapV1(this, "script", {
      metadata: { name: configName, namespace: props.namespace },
      data: { "init.sh": script, createdb: createdb ? `${createdb}\n` : "" },
      dependsOn: [ns.namespace],
    });
    const fromSecret = (name: string, secret: string, key: string) => ({
      name,
      valueFrom: { secretKeyRef: { name: secret, key } },
    });
    // A changed script or app list is a new Job (Jobs are immutable): the ConfigMap's content is
    // part of the name's hash, with the whole Job.
    this.job = jobManifest(this, "job", {
      baseName: "app-databases",
      namespace: props.namespace,
      hashInputs: [script, createdb, apps.join(), props.image],
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels: { "app.kubernetes.io/name": "app-databases" } },
          spec: {
            restartPolicy: "OnFailure",
            securityContext: restrictedPodSecurity({ uid: 70, fsGroup: 70 }),
            containers: [
              {
                name: "psql",
                image: props.image,
                command: ["/bin/sh", "/scripts/init.sh"],
                env: [
                  { name: "PGHOST", value: props.postgres.host },
                  { name: "PGPORT", value: String(props.postgres.port) },
                  { name: "PGDATABASE", value: "postgres" },
                  { name: "PGSSLMODE", value: "require" },
                  { name: "APPS", value: apps.join(" ") },
                  fromSecret("PGUSER", "postgres-admin", "username"),
                  fromSecret("PGPASSWORD", "postgres-admin", "password"),
                ],
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                securityContext: restrictedContainerSecurity({ nonRootStatedIn: "pod" }),
                volumeMounts: [
                  { name: "scripts", mountPath: "/scripts", readOnly: true },
                  ...apps.map((app) => ({ name: `secret-${app}`, mountPath: `/secrets/${app}`, readOnly: true })),
                ],
              },
            ],
            volumes: [
              { name: "scripts", configMap: { name: configName } },
              ...apps.map((app) => ({
                name: `secret-${app}`,
                secret: { secretName: `postgres-${app}`, defaultMode: 0o440 },
              })),
            ],
          },
        },
      },
      waitForCompletion: "10m",
      dependsOn: [config, admin.manifest, ...appSecrets.map((secret) => secret.manifest)],
    });
  }
}

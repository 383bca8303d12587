// Superset's database connection to Dremio over Arrow Flight (sqlalchemy-dremio's dremio+flight
// dialect, installed with Superset's drivers), registered by a Job with Superset's own CLI.
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { Foundation } from "../../platform/contract";
import { ExternalSecret } from "../external-secret";
import { jobManifest } from "../job-manifest";
import { dremioFlightPort, type Superset } from "./superset";
import { supersetTaskPodSpec } from "./superset-task";

export interface SupersetDremioConnectionProps {
  readonly foundation: Foundation;
  readonly superset: Superset;
  readonly dremio: {
    /** Host serving Arrow Flight (the coordinator's client Service), e.g. dremio-client.dremio.svc.cluster.local. */
    readonly host: string;
    /** Arrow Flight port of `host`. @default 32010 (`dremioFlightPort`) */
    readonly flightPort?: number;
    /** Namespace Dremio runs in, for Superset's egress policy. */
    readonly namespace: string;
    /** TLS on the Flight endpoint; in-cluster Dremio OSS serves it unencrypted. @default false */
    readonly useEncryption?: boolean;
  };
  /** Dremio user Superset queries as; its password is the store's `dremio-superset` secret. @default superset */
  readonly user?: string;
  /** Name of the database in Superset. @default Dremio */
  readonly databaseName?: string;
  /** What the connection's resources wait for besides Superset. @default Superset's namespace and resource only */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Registers (or updates) the Superset database "Dremio" with
 * `superset set-database-uri --database_name Dremio --uri dremio+flight://...`: the CLI creates the
 * database when absent and replaces its URI when it differs (a rotated password), so a re-run is
 * harmless. Superset stores the password encrypted with SECRET_KEY and the URI masked.
 *
 * The URI is assembled in the pod from environment variables (user and password URL-encoded by
 * Python); the password comes from a Secret that external-secrets syncs from the store, so the Job
 * holds no credential. The Job retries until the operator's migrations have created the metastore's
 * tables, as the create-admin Job does. Superset pods get egress to Dremio's Flight port.
 */
export class SupersetDremioConnection extends Construct {
  readonly job: Manifest;
  readonly databaseName: string;
  /** The URI with the credentials as placeholders, for documentation. */
  readonly uriTemplate: string;

  constructor(scope: Construct, id: string, props: SupersetDremioConnectionProps) {
    super(scope, id);
    const task = props.superset.task;
    const ns = task.namespace;
    const port = props.dremio.flightPort ?? dremioFlightPort;
    const databaseName = props.databaseName ?? "Dremio";
    if (!/^[A-Za-z0-9 _-]{1,250}$/.test(databaseName))
      throw new Error(`Superset database name "${databaseName}": letters, digits, spaces, "_" and "-" only`);
    if (!/^[A-Za-z0-9.-]+$/.test(props.dremio.host))
      throw new Error(`Dremio host "${props.dremio.host}": must be a host name`);
    this.databaseName = databaseName;
    const query = `UseEncryption=${props.dremio.useEncryption ?? false}`;
    this.uriTemplate = `dremio+flight://<user>:<password>@${props.dremio.host}:${port}/dremio?${query}`;

    const password = new ExternalSecret(this, "password", {
      namespace: ns,
      secretName: `${task.instance}-dremio`,
      data: { password: { key: props.foundation.secretKeys["dremio-superset"], property: "password" } },
      dependsOn: [props.superset.namespace.namespace, ...(props.dependsOn ?? [])],
    });

    props.superset.allowDremio(props.dremio.namespace, port);

    const urlEncode = (env: string) =>
      `python -c 'import os, urllib.parse; print(urllib.parse.quote(os.environ["${env}"], safe=""))'`;
    const script = [
      "set -u",
      task.installDrivers,
      `user=$(${urlEncode("DREMIO_USER")}) || exit 1`,
      `password=$(${urlEncode("DREMIO_PASSWORD")}) || exit 1`,
      `uri="dremio+flight://$user:$password@$DREMIO_HOST:$DREMIO_PORT/dremio?${query}"`,
      "attempt=0",
      "while [ $attempt -lt 40 ]; do",
      "  attempt=$((attempt + 1))",
      '  if superset set-database-uri --database_name "$DATABASE_NAME" --uri "$uri"; then',
      '    echo "database $DATABASE_NAME registered"',
      "    exit 0",
      "  fi",
      '  echo "attempt $attempt: metastore not ready (migrate pending); retrying in 30s"',
      "  sleep 30",
      "done",
      "exit 1",
    ]
      .filter((line) => line !== "")
      .join("\n");

    const labels = {
      "app.kubernetes.io/name": "superset",
      "app.kubernetes.io/component": "dremio-connection",
      "app.kubernetes.io/instance": task.instance,
    };
    this.job = jobManifest(this, "register", {
      baseName: `${task.instance}-dremio-connection`,
      namespace: ns,
      labels: { "app.kubernetes.io/name": "superset", "app.kubernetes.io/component": "dremio-connection" },
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: 1800,
        // Kept once finished (no TTL: see jobManifest). A re-run picks up a rotated password
        // (otherwise it changes nothing); force one with terraform apply -replace.
        template: {
          metadata: { labels },
          spec: supersetTaskPodSpec(task, {
            name: "dremio-connection",
            script,
            env: [
              { name: "DATABASE_NAME", value: databaseName },
              { name: "DREMIO_HOST", value: props.dremio.host },
              { name: "DREMIO_PORT", value: String(port) },
              { name: "DREMIO_USER", value: props.user ?? "superset" },
              { name: "DREMIO_PASSWORD", valueFrom: { secretKeyRef: { name: password.secretName, key: "password" } } },
            ],
          }),
        },
      },
      // Not waited for: it waits itself for the operator's migrations.
      dependsOn: [password.manifest, props.superset.resource, ...task.dependsOn, ...(props.dependsOn ?? [])],
    });
  }
}

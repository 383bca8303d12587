// Text of Dremio's configuration files and of its bootstrap script, built from typed inputs. No
// function here takes a credential: the files name where credentials come from, never what they are.
// Sources for every key: the public dremio-oss 25.2 code (the last public source; 26.x ships as an
// image only) and the deprecated dremio-cloud-tools v2 chart.
import { Token } from "cdktf";
import type { ObjectStore } from "../../platform/contract";
import { assertNoTemplateSequences } from "../../../lib/terraform-text";
import { jvmMemorySplit, minDirectMiB } from "../../../lib/jvm-memory";
import type { DremioS3Source } from "./dremio-api";

export type DremioRole = "coordinator" | "executor";

export const dremioPorts = {
  web: 9047,
  client: 31010,
  flight: 32010,
  fabric: 45678,
  conduit: 45679,
  metrics: 9010,
} as const;

/** Where the image keeps its home, configuration and local data. */
export const dremioPaths = {
  home: "/opt/dremio",
  conf: "/opt/dremio/conf",
  data: "/opt/dremio/data",
  aws: "/opt/dremio/aws",
} as const;

/** The AWS profile every Dremio pod (and the `lake` source) authenticates to the object store with. */
export const dremioAwsProfile = "dremio";
/** Files in the `aws` volume: the SDKs' shared credentials ("profile") file, and the Pod Identity helper. */
export const awsFiles = { profile: "profile", podIdentityHelper: "eks-pod-identity.sh" } as const;
/** The EKS Pod Identity agent's link-local address (IPv4 clusters). */
export const podIdentityAgent = { ip: "169.254.170.23", port: 80 } as const;

export interface DremioConfInput {
  readonly role: DremioRole;
  /** ZooKeeper connect string (host:port,host:port). */
  readonly zookeeper: string;
  /** Distributed storage: bucket and a path inside it (leading slash, no trailing slash). */
  readonly dist: { readonly bucket: string; readonly path: string };
}

/** dremio.conf for one role. Paths are literals: HOCON's own ${...} substitutions would read as
 *  Terraform templates in the synthesized JSON. */
export function dremioConf(input: DremioConfInput): string {
  const coordinator = input.role === "coordinator";
  const lines = [
    `# Dremio ${input.role}. Generated; do not edit in the cluster.`,
    "paths: {",
    `  local: "${dremioPaths.data}"`,
    `  dist: "dremioS3:///${input.dist.bucket}${input.dist.path}"`,
    "}",
    "",
    "services: {",
    `  coordinator.enabled: ${coordinator}`,
    `  coordinator.master.enabled: ${coordinator}`,
    "  coordinator.master.embedded-zookeeper.enabled: false",
    `  executor.enabled: ${!coordinator}`,
    ...(coordinator
      ? [
          "  # Upgrades the KV store when the image version changes (the old chart ran dremio-admin upgrade).",
          "  coordinator.auto-upgrade: true",
          "  coordinator.web.port: " + dremioPorts.web,
          "  coordinator.client-endpoint.port: " + dremioPorts.client,
          "  coordinator.web.ui.intercom.enabled: false",
          "  flight.enabled: true",
          "  flight.port: " + dremioPorts.flight,
          "  flight.use_session_service: true",
        ]
      : []),
    "  fabric.port: " + dremioPorts.fabric,
    "  conduit.port: " + dremioPorts.conduit,
    "  # /live and /metrics (Prometheus) on every node, for probes and scraping.",
    "  web-admin.enabled: true",
    '  web-admin.host: "0.0.0.0"',
    "  web-admin.port: " + dremioPorts.metrics,
    "}",
    "",
    `zookeeper: "${input.zookeeper}"`,
    ...(coordinator
      ? []
      : [
          "",
          "# Cache distributed-storage reads (reflections) on the executor's volume.",
          "debug.dist.caching.enabled: true",
        ]),
    "",
  ];
  const text = lines.join("\n");
  assertNoTemplateSequences(text, `dremio.conf (${input.role})`);
  return text;
}

/** Hadoop properties for the object store (distributed storage). Credentials come from the AWS
 *  profile `dremio` in the shared credentials file of the `aws` volume: on EKS a profile whose
 *  credential_process asks the Pod Identity agent, elsewhere a Secret holding the access key. */
export function coreSiteXml(store: ObjectStore): string {
  const endpoint = parseEndpoint(store.endpoint);
  const props: [string, string, string][] = [
    ["fs.dremioS3.impl", "com.dremio.plugins.s3.store.S3FileSystem", "Dremio's S3 file system for dremioS3:// paths."],
    [
      "fs.s3a.aws.credentials.provider",
      "com.dremio.plugins.s3.store.AWSProfileCredentialsProviderV1",
      "Credentials from an AWS profile (Dremio's awsProfile mode).",
    ],
    [
      "com.dremio.awsProfile",
      dremioAwsProfile,
      "The profile in AWS_SHARED_CREDENTIALS_FILE / AWS_CREDENTIAL_PROFILES_FILE.",
    ],
    ["fs.s3a.endpoint", endpoint.host, "Host[:port] without scheme; the scheme follows fs.s3a.connection.ssl.enabled."],
    ["fs.s3a.connection.ssl.enabled", String(endpoint.tls), "TLS to the object store."],
    ["fs.s3a.endpoint.region", store.region, "With an endpoint set, skips the bucket-location lookup."],
    ["dremio.s3.region", store.region, "Region for request signing and STS."],
  ];
  if (store.pathStyle) props.push(["fs.s3a.path.style.access", "true", "Path-style requests (S3-compatible stores)."]);
  if (store.access.kind === "credentialsSecret")
    props.push(["dremio.s3.compat", "true", "S3-compatible store: no AWS-only calls (STS, bucket location)."]);
  const body = props
    .map(
      ([name, value, description]) =>
        `  <property>\n    <name>${xml(name)}</name>\n    <value>${xml(value)}</value>\n    <description>${xml(description)}</description>\n  </property>`,
    )
    .join("\n");
  const text = `<?xml version="1.0"?>\n<!-- Generated; no credential belongs in this file. -->\n<configuration>\n${body}\n</configuration>\n`;
  assertNoTemplateSequences(text, "core-site.xml");
  return text;
}

/** The shared credentials file on EKS: the `dremio` profile gets its credentials from the helper. */
export function podIdentityProfile(): string {
  return `[${dremioAwsProfile}]\ncredential_process = /bin/bash ${dremioPaths.aws}/${awsFiles.podIdentityHelper}\n`;
}

/** The same file on S3-compatible stores, as an external-secrets template over the fetched keys. */
export function accessKeyProfileTemplate(accessKeyField: string, secretKeyField: string): string {
  return `[${dremioAwsProfile}]\naws_access_key_id = {{ .${accessKeyField} }}\naws_secret_access_key = {{ .${secretKeyField} }}\n`;
}

/**
 * credential_process helper: Dremio's S3 code accepts a fixed list of credential providers, none of
 * which reads EKS Pod Identity (or IRSA) credentials; both AWS SDKs it bundles run a profile's
 * credential_process. This asks the node-local Pod Identity agent with the token the EKS webhook
 * mounts, over bash's /dev/tcp (the image is not known to carry curl), and prints the result in the
 * process-credentials format (Version 1, SessionToken instead of the agent's Token).
 */
export function podIdentityHelper(): string {
  const { ip, port } = podIdentityAgent;
  const text = `#!/bin/bash
set -eu
uri="$(printenv AWS_CONTAINER_CREDENTIALS_FULL_URI || true)"
token_file="$(printenv AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE || true)"
case "$uri" in
  http://${ip}/*) path="/$(printf '%s' "$uri" | cut -d/ -f4-)" ;;
  *) echo "no EKS Pod Identity credentials in this pod (AWS_CONTAINER_CREDENTIALS_FULL_URI='$uri'): is the pod identity association for this service account in place?" >&2; exit 1 ;;
esac
exec 3<>/dev/tcp/${ip}/${port}
printf 'GET %s HTTP/1.0\\r\\nHost: ${ip}\\r\\nAuthorization: %s\\r\\n\\r\\n' "$path" "$(cat "$token_file")" >&3
response="$(cat <&3)"
exec 3<&-
status="$(printf '%s\\n' "$response" | head -n 1 | cut -d' ' -f2)"
if [ "$status" != "200" ]; then
  echo "EKS Pod Identity agent answered HTTP $status" >&2
  exit 1
fi
printf '%s\\n' "$response" | sed '1,/^\\r*$/d' | tr -d '\\r\\n' | sed -e 's/"Token"/"SessionToken"/' -e 's/^{/{"Version":1,/'
`;
  assertNoTemplateSequences(text, "pod identity helper");
  return text;
}

/** Heap and direct memory (MiB) for a container of `totalGiB` (lib/jvm-memory.ts); refuses less
 *  than `minDirectMiB` of direct memory. */
export function jvmMemory(totalGiB: number, heapGiB: number): { heapMiB: number; directMiB: number } {
  const { heapMiB, reserveMiB, directMiB } = jvmMemorySplit(totalGiB, heapGiB);
  if (directMiB < minDirectMiB) {
    throw new Error(
      `Dremio memory: ${totalGiB} GiB with a ${heapGiB} GiB heap leaves ${directMiB} MiB of direct memory (at least ${minDirectMiB} needed after a ${reserveMiB} MiB reserve)`,
    );
  }
  return { heapMiB, directMiB };
}

/** An S3 endpoint URL split into what Hadoop wants: host[:port] and whether it is TLS. */
export function parseEndpoint(endpoint: string): { host: string; tls: boolean } {
  if (Token.isUnresolved(endpoint))
    throw new Error("Dremio: objectStore.endpoint must be a literal URL (it is written into core-site.xml)");
  const url = new URL(endpoint);
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error(`Dremio: objectStore.endpoint "${endpoint}" must be http(s)`);
  return { host: url.host, tls: url.protocol === "https:" };
}

/** Bootstrap settings read by the Job's script; holds names, never passwords. */
export interface BootstrapConfig {
  readonly admin: { readonly userName: string; readonly email: string };
  readonly users: readonly { readonly name: string; readonly email: string; readonly passwordEnv: string }[];
  /** The body of POST /api/v3/catalog for the lake source. */
  readonly source: DremioS3Source;
  /** Spaces to create if missing (dbt writes its views into one). */
  readonly spaces: readonly string[];
  readonly waitSeconds: number;
}

export interface LakeSourceInput {
  readonly name: string;
  readonly store: ObjectStore;
  readonly buckets: readonly string[];
  readonly refreshPeriodHours: number;
  readonly gracePeriodHours: number;
}

/** The lake as an S3 source (api/v3 catalog field names of S3PluginConfig). Credentials: the same
 *  `dremio` AWS profile the pods have, so the bootstrap Job never handles object-store keys. */
export function lakeSource(input: LakeSourceInput): DremioS3Source {
  const endpoint = parseEndpoint(input.store.endpoint);
  const compat = input.store.access.kind === "credentialsSecret";
  const properties = [
    { name: "fs.s3a.endpoint", value: endpoint.host },
    { name: "fs.s3a.endpoint.region", value: input.store.region },
    { name: "dremio.s3.region", value: input.store.region },
    ...(input.store.pathStyle ? [{ name: "fs.s3a.path.style.access", value: "true" }] : []),
  ];
  const hour = 3_600_000;
  return {
    entityType: "source",
    name: input.name,
    type: "S3",
    config: {
      credentialType: "AWS_PROFILE",
      awsProfile: dremioAwsProfile,
      secure: endpoint.tls,
      compatibilityMode: compat,
      whitelistedBuckets: [...input.buckets],
      externalBucketList: [],
      rootPath: "/",
      enableAsync: true,
      isCachingEnabled: true,
      maxCacheSpacePct: 100,
      defaultCtasFormat: "ICEBERG",
      propertyList: properties,
    },
    // Reflections on the lake refresh every refreshPeriodHours (the seeds: 1 h) and expire after
    // gracePeriodHours without a successful refresh.
    accelerationActivePolicyType: "PERIOD",
    accelerationRefreshPeriodMs: input.refreshPeriodHours * hour,
    accelerationGracePeriodMs: input.gracePeriodHours * hour,
    accelerationNeverExpire: false,
    accelerationNeverRefresh: false,
  };
}

/**
 * The bootstrap script (Python standard library only). Idempotent: the first administrator is
 * created once (Dremio refuses a second); service users are created or get their password
 * re-synchronised from the secret store; the lake source is created or updated to this definition;
 * missing spaces are created.
 */
export function bootstrapScript(): string {
  const text = String.raw`"""Bootstraps Dremio. Generated; passwords come from the environment only."""
import json
import os
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import quote

BASE = os.environ["DREMIO_URL"].rstrip("/")
with open(os.environ["BOOTSTRAP_CONFIG"], encoding="utf-8") as handle:
    CONFIG = json.load(handle)


def log(message):
    print(message, flush=True)


def call(method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", "_dremio" + token if token else "_dremionull")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else {}
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, {"errorMessage": raw.decode("utf-8", "replace")}


def require(status, body, what, expected=(200,)):
    if status not in expected:
        sys.exit(what + " failed: HTTP " + str(status) + " " + str(body.get("errorMessage", body)))


def wait_for_coordinator():
    deadline = time.time() + CONFIG["waitSeconds"]
    while time.time() < deadline:
        try:
            status, _ = call("GET", "/apiv2/server_status")
            if status == 200:
                return
            log("coordinator answered HTTP " + str(status) + "; waiting")
        except OSError as error:
            log("coordinator not reachable yet: " + str(error))
        time.sleep(10)
    sys.exit("the coordinator did not become ready in time")


def ensure_admin():
    admin = CONFIG["admin"]
    password = os.environ["ADMIN_PASSWORD"]
    form = {"userName": admin["userName"], "firstName": "Platform", "lastName": "Admin", "email": admin["email"], "password": password}
    status, body = call("PUT", "/apiv2/bootstrap/firstuser", form)
    if status == 200:
        log("created the first administrator " + admin["userName"])
    else:
        log("no first administrator created (HTTP " + str(status) + "): one already exists")
    status, body = call("POST", "/apiv2/login", {"userName": admin["userName"], "password": password})
    require(status, body, "login as " + admin["userName"] + " (a password rotated in the store must be changed in Dremio first)")
    return body["token"]


def ensure_user(token, user):
    name = user["name"]
    form = {"name": name, "firstName": name, "lastName": "Service", "email": user["email"], "password": os.environ[user["passwordEnv"]]}
    status, body = call("GET", "/api/v3/user/by-name/" + quote(name, safe=""), token=token)
    if status == 404:
        status, body = call("POST", "/api/v3/user", form, token)
        require(status, body, "create user " + name)
        log("created user " + name)
    elif status == 200:
        form.update({"id": body["id"], "tag": body.get("tag")})
        status, body = call("PUT", "/api/v3/user/" + quote(body["id"], safe=""), form, token)
        require(status, body, "update user " + name)
        log("user " + name + " exists; password synchronised")
    else:
        require(status, body, "look up user " + name)


def ensure_source(token):
    source = CONFIG["source"]
    status, body = call("GET", "/api/v3/catalog/by-path/" + quote(source["name"], safe=""), token=token)
    if status == 404:
        status, body = call("POST", "/api/v3/catalog", source, token)
        require(status, body, "create source " + source["name"])
        log("created source " + source["name"])
    elif status == 200:
        update = dict(source, id=body["id"], tag=body.get("tag"))
        status, body = call("PUT", "/api/v3/catalog/" + quote(body["id"], safe=""), update, token)
        require(status, body, "update source " + source["name"])
        log("source " + source["name"] + " updated to its definition")
    else:
        require(status, body, "look up source " + source["name"])


def ensure_space(token, name):
    status, body = call("GET", "/api/v3/catalog/by-path/" + quote(name, safe=""), token=token)
    if status == 404:
        status, body = call("POST", "/api/v3/catalog", {"entityType": "space", "name": name}, token)
        require(status, body, "create space " + name)
        log("created space " + name)
    else:
        require(status, body, "look up space " + name)


def main():
    wait_for_coordinator()
    token = ensure_admin()
    for user in CONFIG["users"]:
        ensure_user(token, user)
    ensure_source(token)
    for space in CONFIG["spaces"]:
        ensure_space(token, space)
    log("bootstrap complete")


if __name__ == "__main__":
    main()
`;
  assertNoTemplateSequences(text, "bootstrap script");
  return text;
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

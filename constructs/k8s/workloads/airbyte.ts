// Airbyte on the official v2 chart: external PostgreSQL and object storage by Secret references,
// the bundled database and MinIO off, worker autoscaling, disruption budgets and a closed namespace.
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { Construct } from "constructs";
import { ExternalSecret } from "../external-secret";
import { HelmChart } from "../helm-chart";
import { PlatformNamespace } from "../platform-namespace";
import {
  airbyteValues,
  authKeys,
  databaseKeys,
  deploymentName,
  podLabels,
  releaseName,
  secretNames,
  serverService,
  storageKeys,
  type AirbyteValues,
  type Component,
} from "./airbyte-values";
import type { ChartWorkloadProps, ExposedService } from "./types";

export interface AirbyteProps extends ChartWorkloadProps {
  /** Replicas of airbyte-server (API and UI) and of the workload API server. */
  readonly serverReplicas: number;
  /** The v2 chart serves the UI from airbyte-server, so this is a floor on the server's replicas
   *  (the legacy standalone webapp stays off). @default 1: no floor beyond one replica */
  readonly webappReplicas?: number;
  /** `min` worker replicas (kept through a pod's loss) that together run up to `max` syncs at once. */
  readonly workers: { readonly min: number; readonly max: number };
  /** Bucket for Airbyte's own logs, state and payloads.
   *  @default the Foundation's airbyteBucket (never the lake's zones, whose lifecycle may move
   *  objects to Glacier, where Airbyte cannot read them) */
  readonly bucket?: string;
  /** Host under the platform domain: `<host>.<domain>`. @default airbyte */
  readonly hostPrefix?: string;
}

/** Airbyte (community edition) in its own namespace. The AWS foundation binds the object-store role
 *  to the chart's `airbyte-admin` service account in the namespace named `airbyte`. */
export class Airbyte extends Construct {
  readonly namespace: PlatformNamespace;
  readonly chart: HelmChart;
  readonly values: AirbyteValues;
  /** Syncs Airbyte runs at once: worker replicas x syncs per worker (at least `workers.max`). */
  readonly syncCapacity: number;
  readonly exposed: ExposedService;

  constructor(scope: Construct, id: string, props: AirbyteProps) {
    super(scope, id);
    const foundation = props.foundation;
    const { min, max } = props.workers;
    if (!Number.isInteger(min) || min < 1 || max < min)
      throw new Error(`Airbyte workers: need 1 <= min <= max, got min ${min}, max ${max}`);
    if (!Number.isInteger(props.serverReplicas) || props.serverReplicas < 1)
      throw new Error(`Airbyte serverReplicas: need an integer >= 1, got ${props.serverReplicas}`);
    const serverReplicas = Math.max(props.serverReplicas, props.webappReplicas ?? 1);
    const host = `${props.hostPrefix ?? "airbyte"}.${foundation.domain}`;

    // Pod Security "baseline", not "restricted": the workload launcher creates the connector pods
    // (check, discover, sync) with the connector image's own user (some are root) and without a
    // pod-level seccomp profile or runAsNonRoot, which "restricted" rejects. Airbyte's own
    // components still run non-root without privilege escalation (see airbyte-values.ts), and the
    // namespace keeps warning on anything below "restricted".
    this.namespace = new PlatformNamespace(this, "ns", { name: props.namespace, podSecurity: "baseline" });
    const ns = this.namespace;
    ns.allowEgressTo("postgres", foundation.postgres.network);
    ns.allowEgressTo("object-store", foundation.objectStore.network);
    // The launcher creates and watches job pods; the bootloader writes the auth Secret.
    ns.allowApiServer(foundation.apiServer);
    // Connectors reach arbitrary SaaS APIs and the connector registry over HTTPS. Sources on other
    // ports (databases outside the platform) need an explicit allow of their own.
    ns.allowHttpsEgress();
    ns.allowIngressFrom("ui", { ...foundation.ingressSource, ports: [serverService.targetPort] }, podLabels("server"));

    const secret = (
      sid: string,
      secretName: string,
      data: ConstructorParameters<typeof ExternalSecret>[2]["data"],
      template?: Record<string, string>,
    ) =>
      new ExternalSecret(this, sid, {
        namespace: ns.name,
        secretName,
        data,
        template,
        dependsOn: [ns.namespace, ...(props.dependsOn ?? [])],
      });
    const app = foundation.postgres.appSecretKeys;
    const secrets = [
      // Airbyte's role and Temporal's: Temporal reuses the database host with its own role, which
      // creates the temporal and temporal_visibility databases (db-init grants it CREATEDB).
      secret("db-credentials", secretNames.database, {
        [databaseKeys.user]: { key: app.airbyte, property: "username" },
        [databaseKeys.password]: { key: app.airbyte, property: "password" },
        [databaseKeys.temporalUser]: { key: app.temporal, property: "username" },
        [databaseKeys.temporalPassword]: { key: app.temporal, property: "password" },
      }),
      // The bootloader requires all four keys; the empty ones are generated by it once and kept in
      // the chart-managed airbyte-auth-secrets. The admin signs in with the email entered at first
      // login (the community edition takes no email from the chart).
      secret(
        "auth-bootstrap",
        secretNames.auth,
        { [authKeys.password]: { key: foundation.secretKeys["airbyte-admin"], property: "password" } },
        { [authKeys.clientId]: "", [authKeys.clientSecret]: "", [authKeys.jwt]: "" },
      ),
    ];
    const access = foundation.objectStore.access;
    if (access.kind === "credentialsSecret") {
      secrets.push(
        secret("storage-credentials", secretNames.storage, {
          [storageKeys.accessKey]: access.accessKey,
          [storageKeys.secretKey]: access.secretKey,
        }),
      );
    }

    // Airbyte 2 runs each sync in pods the workload launcher creates: capacity is how many sync
    // workflows the workers run at once (replicas x maxSyncWorkers) and how many jobs the launcher
    // starts at once, not worker pods. `min` worker replicas keep that capacity available through a
    // pod's loss; together they run `max` syncs; Karpenter adds the nodes the sync pods need.
    const syncsPerWorker = Math.ceil(max / min);
    this.syncCapacity = min * syncsPerWorker;
    this.values = airbyteValues({
      foundation,
      namespace: ns.name,
      host,
      serverReplicas,
      workerReplicas: min,
      syncsPerWorker,
      launcherParallelism: max,
      bucket: props.bucket ?? foundation.objectStore.airbyteBucket,
    });
    this.chart = new HelmChart(this, "chart", {
      releaseName,
      namespace: ns.name,
      source: props.chart,
      values: this.values,
      // The bootloader runs the database migrations before anything starts.
      timeoutSeconds: 900,
      dependsOn: [ns.namespace, ...secrets.map((externalSecret) => externalSecret.manifest)],
    });

    // Disruption budgets for every component that can run more than one replica.
    const budgets: [Component, number][] = [
      ["server", serverReplicas],
      ["workload-api-server", serverReplicas],
      ["worker", min],
    ];
    for (const [component, replicas] of budgets) {
      if (replicas < 2) continue;
      new PodDisruptionBudgetV1(this, `pdb-${component}`, {
        metadata: { name: deploymentName(component), namespace: ns.name },
        spec: { maxUnavailable: "1", selector: { matchLabels: podLabels(component) } },
        dependsOn: [this.chart.release],
      });
    }

    this.exposed = {
      host,
      namespace: ns.name,
      serviceName: serverService.name,
      servicePort: serverService.port,
      targetPort: serverService.targetPort,
      podLabels: podLabels("server"),
      healthPath: serverService.healthPath,
      dependsOn: [ns.namespace],
    };
  }
}

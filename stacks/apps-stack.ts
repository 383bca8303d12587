import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { TerraformStack, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import type { AwsEnvironment, EnvironmentConfig } from "../config/schema";
import { TakeoverHealthCheck, takeoverProbe } from "../constructs/aws/takeover-health-check";
import { chartsFor } from "../config/charts";
import { versions } from "../config/versions";
import { loadBalancerLogPrefix } from "../constructs/aws/data-lake";
import { AlbIngress } from "../constructs/k8s/platform/alb-ingress";
import { AppDatabases } from "../constructs/k8s/platform/app-databases";
import { GatewayRoutes } from "../constructs/k8s/platform/gateway-routes";
import { GeneratedSecrets } from "../constructs/k8s/platform/generated-secrets";
import { CertificateIssuers } from "../constructs/k8s/platform/issuers";
import { KarpenterNodePools } from "../constructs/k8s/platform/karpenter-node-pools";
import { PlatformSecretStore } from "../constructs/k8s/platform/secret-store";
import { Airbyte } from "../constructs/k8s/workloads/airbyte";
import { Dbt } from "../constructs/k8s/workloads/dbt";
import { Dremio } from "../constructs/k8s/workloads/dremio";
import { Elasticsearch } from "../constructs/k8s/workloads/elasticsearch";
import { MinioTenant } from "../constructs/k8s/workloads/minio-tenant";
import { PostgresCluster } from "../constructs/k8s/workloads/postgres-cluster";
import { Superset } from "../constructs/k8s/workloads/superset";
import { GrafanaAdminSecret } from "../constructs/k8s/observability/grafana-admin-secret";
import { LogShipping } from "../constructs/k8s/observability/log-shipping";
import { grafanaExposedService } from "../constructs/k8s/observability/monitoring";
import type { ExposedService } from "../constructs/k8s/workloads/types";
import { PlatformAlerts } from "../constructs/k8s/observability/platform-alerts";
import { PlatformDashboards } from "../constructs/k8s/observability/platform-dashboards";
import { minioPublicMetricsEnv, PlatformMonitors } from "../constructs/k8s/observability/platform-monitors";
import { SupersetDremioConnection } from "../constructs/k8s/workloads/superset-dremio";
import { appDatabases, generatedSecrets, type Foundation } from "../constructs/platform/contract";
import { availabilityZones } from "../lib/aws";
import { addonNamespaces } from "./addons-stack";
import { inCluster } from "./foundation-local";
import { names } from "./naming";
import { completeNamespaces } from "./namespace-access";
import { platformContext } from "./platform-context";
import { serviceAccounts } from "./service-accounts";

/**
 * `<env>-apps`: the custom resources that need the add-ons' CRDs (secret store, issuers, node
 * pools, gateway), the in-cluster data services of plain clusters, the application databases,
 * the workloads and their routes. Applied after `<env>-addons`. A standby also gets its `source`:
 * once promoted, it serves the source's host names too.
 */
export class AppsStack extends TerraformStack {
  constructor(scope: Construct, id: string, env: EnvironmentConfig, source?: AwsEnvironment) {
    super(scope, id);
    const foundation = platformContext(this, env, "apps");
    const charts = chartsFor(env);
    const workloads = env.workloads;

    // A plain cluster generates its secrets (its stand-in for Secrets Manager) and the store serves
    // them: every ExternalSecret depends on the store, and through it on the Secrets it reads.
    const generated =
      env.platform === "aws"
        ? undefined
        : new GeneratedSecrets(this, "generated-secrets", {
            namespace: inCluster.secretsNamespace,
            secrets: localSecretTemplates(),
          });
    const served = generated && { namespace: generated.namespace.namespace, secrets: generated.secrets };
    const store = new PlatformSecretStore(this, "secret-store", { store: foundation.secretStore, served });
    const issuers = new CertificateIssuers(this, "issuers", {
      certManagerNamespace: addonNamespaces.certManager,
      caIssuer: inCluster.clusterIssuer,
    });
    // In-cluster data services (plain clusters), which their monitors wait for.
    const dataServices: ITerraformDependable[] = [];
    // What must run before the database Job can connect: the in-cluster server on a plain cluster
    // (on AWS, RDS comes from the foundation stack, applied before this one).
    const databaseServer: ITerraformDependable[] = [];

    if (env.platform === "aws") {
      const naming = names(env);
      new KarpenterNodePools(this, "node-pools", {
        clusterName: naming.cluster,
        nodeRoleName: `${naming.cluster}-karpenter-node`,
        zones: availabilityZones(env.aws.region, env.network.azCount),
        amiAlias: versions.images.karpenterAmiAlias,
        cpuLimit: 1000,
      });
    } else {
      // The plain cluster's stand-ins for RDS and S3.
      const postgres = new PostgresCluster(this, "postgres", {
        foundation,
        namespace: inCluster.postgres.namespace,
        chart: charts.cnpgCluster,
        instances: env.postgres.instances,
        storageGiB: env.postgres.storageGiB,
        pooler: env.postgres.pooler,
        imageName: versions.images.cnpgPostgres,
        superuser: foundation.postgres.admin!,
        operatorNamespace: addonNamespaces.cnpg,
        // A single instance under a PDB would block every node drain.
        enablePDB: env.postgres.instances > 1,
        dependsOn: [store.manifest],
      });
      const minio = new MinioTenant(this, "minio", {
        foundation,
        namespace: inCluster.minio.namespace,
        chart: charts.minioTenant,
        servers: env.minio.servers,
        volumesPerServer: env.minio.volumesPerServer,
        volumeSizeGiB: env.minio.volumeSizeGiB,
        image: versions.images.minio,
        rootUser: { key: "minio-root", property: "accessKey" },
        rootPassword: { key: "minio-root", property: "secretKey" },
        operatorNamespace: addonNamespaces.minio,
        env: [...minioPublicMetricsEnv],
        dependsOn: [store.manifest],
      });
      dataServices.push(postgres.chart.release, minio.chart.release);
      databaseServer.push(postgres.chart.release);
    }

    const elasticsearch = new Elasticsearch(this, "elasticsearch", {
      foundation,
      namespace: serviceAccounts.elasticsearchSnapshots.namespace,
      chart: charts.eckElasticsearch,
      nodeSets: workloads.elasticsearch.nodeSets,
      version: versions.images.elasticsearch,
      operatorNamespace: addonNamespaces.eck,
      dependsOn: [store.manifest],
    });

    // The query engine reads the lake, not the database: it stays warm on a standby too.
    const dremio = new Dremio(this, "dremio", {
      foundation,
      namespace: serviceAccounts.dremio.namespace,
      serviceAccountName: serviceAccounts.dremio.name,
      ...workloads.dremio,
      image: versions.images.dremio,
      zookeeperImage: versions.images.zookeeper,
      bootstrapImage: versions.images.python,
      dependsOn: [store.manifest],
    });
    const dremioEndpoint = { host: new URL(dremio.restEndpoint).hostname, namespace: serviceAccounts.dremio.namespace };

    // Monitoring and logs: scrape targets, dashboards, alerts, and Fluent Bit on every node.
    const inClusterData = env.platform === "local";
    new GrafanaAdminSecret(this, "grafana-admin", {
      password: { key: foundation.secretKeys["grafana-admin"], property: "password" },
      dependsOn: [store.manifest],
    });
    new PlatformMonitors(this, "monitors", {
      dremio: { namespace: serviceAccounts.dremio.namespace },
      elasticsearch: { namespace: elasticsearch.namespace.name, exporterImage: versions.images.elasticsearchExporter },
      certManager: { namespace: addonNamespaces.certManager },
      externalSecrets: { namespace: addonNamespaces.externalSecrets },
      ...(inClusterData
        ? {
            postgres: { namespace: inCluster.postgres.namespace, pooler: env.postgres.pooler },
            minio: { namespace: inCluster.minio.namespace },
          }
        : { karpenter: { namespace: addonNamespaces.karpenter } }),
      dependsOn: [elasticsearch.chart.release, dremio.coordinator, ...dataServices],
    });
    new PlatformDashboards(this, "dashboards", { include: inClusterData ? undefined : ["airbyte", "dremio"] });
    new PlatformAlerts(this, "alerts", {
      airbyte: true,
      dremio: { namespace: serviceAccounts.dremio.namespace },
      postgres: inClusterData,
      minio: inClusterData,
      elasticsearch: true,
      logShipping: true,
    });
    const esNodes = Object.values(workloads.elasticsearch.nodeSets)
      .filter((nodeSet) => nodeSet.roles.includes("data"))
      .reduce((total, nodeSet) => total + nodeSet.count, 0);
    new LogShipping(this, "logs", {
      chart: charts.fluentBit,
      apiServer: foundation.apiServer,
      elasticsearch: {
        namespace: elasticsearch.namespace.name,
        setupImage: `docker.elastic.co/elasticsearch/elasticsearch:${versions.images.elasticsearch}`,
        podLabels: elasticsearch.podLabels,
      },
      credentials: {
        kind: "writer-user",
        password: { key: foundation.secretKeys["logging-elasticsearch"], property: "password" },
      },
      retentionDays: workloads.observability.logRetentionDays,
      indexReplicas: esNodes > 1 ? 1 : 0,
      dependsOn: [elasticsearch.chart.release, store.manifest],
    });

    // A standby's database is a read-only replica: Airbyte and Superset would fail their
    // migrations against it, so they (and their routes) are deployed once it is promoted.
    const admin = foundation.postgres.admin;
    const writers = admin
      ? this.databaseWriters(foundation, env, charts, admin, store, databaseServer, dremio, dremioEndpoint)
      : [];
    const exposed = [...writers, dremio.exposed, grafanaExposedService(`grafana.${foundation.domain}`)];
    // A standby publishes its writers' hosts ahead of its promotion (test/failover.test.ts holds
    // these names to the workloads' own).
    const pending = admin ? [] : ["airbyte", "superset"].map((host) => `${host}.${foundation.domain}`);
    this.routes(env, foundation, exposed, pending, source, issuers);
    completeNamespaces(this, foundation, exposed);
  }

  /** The workloads that write the database: its Job, Airbyte, Superset (and its Dremio connection),
   *  dbt. Returns their routes. */
  private databaseWriters(
    foundation: Foundation,
    env: EnvironmentConfig,
    charts: ReturnType<typeof chartsFor>,
    admin: NonNullable<Foundation["postgres"]["admin"]>,
    store: PlatformSecretStore,
    databaseServer: ITerraformDependable[],
    dremio: Dremio,
    dremioEndpoint: { host: string; namespace: string },
  ): ExposedService[] {
    const workloads = env.workloads;
    const databases = new AppDatabases(this, "app-databases", {
      namespace: "platform-db",
      postgres: { ...foundation.postgres, host: foundation.postgres.primaryHost, admin },
      apps: Object.fromEntries(appDatabases.map((app) => [app, { createdb: app === "temporal" }])),
      image: versions.images.psql,
      dependsOn: [store.manifest, ...databaseServer],
    });
    // Airbyte's bootloader (a pre-install hook pod that never restarts, under an atomic release) and
    // Superset's migrations fail if their role and database are not there yet: they wait for the Job.
    const databasesReady = [databases.job];
    const airbyte = new Airbyte(this, "airbyte", {
      foundation,
      namespace: serviceAccounts.airbyte.namespace,
      chart: charts.airbyte,
      serverReplicas: workloads.airbyte.serverReplicas,
      webappReplicas: workloads.airbyte.webappReplicas,
      workers: workloads.airbyte.workers,
      dependsOn: [store.manifest, ...databasesReady],
    });
    const superset = new Superset(this, "superset", {
      foundation,
      namespace: "superset",
      webReplicas: workloads.superset.webReplicas,
      workerReplicas: workloads.superset.workerReplicas,
      image: versions.images.superset,
      drivers: versions.images.supersetDrivers,
      valkeyImage: versions.images.valkey,
      dependsOn: [store.manifest, ...databasesReady],
    });
    // The connection Job follows Superset (its resource waits for the databases) and Dremio's bootstrap.
    new SupersetDremioConnection(this, "superset-dremio", {
      foundation,
      superset,
      dremio: dremioEndpoint,
      dependsOn: [dremio.bootstrapJob],
    });
    if (workloads.dbt)
      new Dbt(this, "dbt", {
        foundation,
        ...workloads.dbt,
        dremio: dremioEndpoint,
        dependsOn: [dremio.bootstrapJob],
      });

    return [airbyte.exposed, superset.exposed];
  }

  /** The entry point: an ALB with DNS records on AWS, Gateway routes on a plain cluster. */
  private routes(
    env: EnvironmentConfig,
    foundation: Foundation,
    exposed: ExposedService[],
    pending: string[],
    source: AwsEnvironment | undefined,
    issuers: CertificateIssuers,
  ): void {
    if (foundation.tls.kind === "alb" && env.platform === "aws") {
      const zoneId =
        env.dns.zoneId ?? new DataAwsRoute53Zone(this, "zone", { name: env.dns.zone, privateZone: false }).zoneId;
      // DNS failover (docs/runbooks/): a production environment's records are PRIMARY records that
      // yield to its standby once the standby answers the takeover probe. A standby publishes its
      // load balancer, its own records and the SECONDARY records for its source's names from the
      // start, and answers the probe only once promoted: a failover calls no Route 53 API.
      const check =
        env.tier === "production"
          ? new TakeoverHealthCheck(this, "takeover-check", { domain: env.domain, name: `${names(env).base}-takeover` })
          : undefined;
      const sourceZoneId = source
        ? source.dns.zone === env.dns.zone
          ? zoneId
          : (source.dns.zoneId ??
            new DataAwsRoute53Zone(this, "source-zone", { name: source.dns.zone, privateZone: false }).zoneId)
        : undefined;
      const grafana = exposed[exposed.length - 1]!;
      new AlbIngress(this, "ingress", {
        services: exposed,
        certificateArn: foundation.tls.certificateArn,
        accessLogBucket: foundation.tls.accessLogBucket,
        accessLogPrefix: loadBalancerLogPrefix,
        deletionProtection: foundation.tls.deletionProtection,
        zoneId,
        primaryHealthCheckId: check?.healthCheck.id,
        takeover:
          source && sourceZoneId
            ? {
                domain: source.domain,
                zoneId: sourceZoneId,
                probe: takeoverProbe(source.domain),
                answer: env.failover,
                pending,
                namespace: grafana.namespace,
              }
            : undefined,
      });
    } else if (foundation.tls.kind === "gateway") {
      const issuer = foundation.tls.clusterIssuer === inCluster.clusterIssuer ? issuers.caIssuer : undefined;
      new GatewayRoutes(this, "gateway", {
        namespace: inCluster.gatewayNamespace,
        domain: foundation.domain,
        clusterIssuer: foundation.tls.clusterIssuer,
        issuer,
        services: exposed,
      });
    }
  }
}

/** The Secrets a plain cluster generates for itself: each gets a fresh `password` key, plus these. */
function localSecretTemplates(): Record<string, Record<string, string>> {
  return {
    // CloudNativePG accepts only "postgres" as the superuser's name.
    "postgres-admin": { username: "postgres" },
    ...Object.fromEntries(appDatabases.map((app) => [`postgres-${app}`, { username: app, database: app }])),
    ...Object.fromEntries(generatedSecrets.map((secret) => [secret, {}])),
    "minio-root": { accessKey: "platform-root", secretKey: "{{ .password }}" },
    "minio-lake": { accessKey: "lake", secretKey: "{{ .password }}" },
  };
}

export type { Foundation };

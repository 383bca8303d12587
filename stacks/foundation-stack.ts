import { Ec2Tag } from "@cdktf/provider-aws/lib/ec2-tag";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AwsEnvironment } from "../config/schema";
import { versions } from "../config/versions";
import { PlatformAlarms } from "../constructs/aws/alarms";
import { AppSecrets } from "../constructs/aws/app-secrets";
import { Certificate } from "../constructs/aws/certificate";
import { DataLake } from "../constructs/aws/data-lake";
import { EksCluster } from "../constructs/aws/eks-cluster";
import { KarpenterPrerequisites } from "../constructs/aws/karpenter";
import { KmsKeys } from "../constructs/aws/kms-keys";
import { IrsaRole } from "../constructs/aws/irsa-role";
import { Network } from "../constructs/aws/network";
import { PodIdentityRole } from "../constructs/aws/pod-identity-role";
import {
  lakeReadWrite,
  loadBalancerControllerStatements,
  objectsRead,
  promotedMasterSecretRead,
  secretsRead,
} from "../constructs/aws/policies";
import { Postgres, PostgresReplica } from "../constructs/aws/postgres";
import { availabilityZones, partitionOf } from "../lib/aws";
import { configureBackend, defaultTags } from "./backend";
import { names, snapshotBasePath } from "./naming";
import { appDatabases, generatedSecrets, serviceAccounts, type PodIdentityAccount } from "./service-accounts";
import { sharedWithStandby } from "../constructs/platform/contract";

/**
 * `<env>-foundation`: everything AWS that the cluster add-ons and workloads stand on. A standby's
 * (`standbyOf`) holds its database as a replica of its source's; nothing here calls the source's
 * region, so that a failover can apply it with that region down (the lake's replication is in
 * stacks/replication-stack.ts).
 */
export class FoundationStack extends TerraformStack {
  constructor(scope: Construct, id: string, env: AwsEnvironment, source?: AwsEnvironment, standby?: AwsEnvironment) {
    super(scope, id);
    configureBackend(this, env, "foundation");
    const { accountId, region } = env.aws;
    const partition = partitionOf(region);
    const naming = names(env);
    const protect = env.protection.preventDestroy;
    new AwsProvider(this, "aws", { region, allowedAccountIds: [accountId], defaultTags: [{ tags: defaultTags(env) }] });

    const keys = new KmsKeys(this, "keys", { prefix: naming.base, accountId, region, preventDestroy: protect });
    const network = new Network(this, "network", {
      name: naming.base,
      cidr: env.network.cidr,
      region,
      availabilityZones: availabilityZones(region, env.network.azCount),
      natGateways: env.network.natGateways,
      flowLogRetentionDays: env.network.flowLogRetentionDays,
      logsKmsKeyArn: keys.keys.logs.arn,
      clusterName: naming.cluster,
      preventDestroy: protect,
    });

    const eks = new EksCluster(this, "eks", {
      name: naming.cluster,
      version: env.cluster.version,
      region,
      subnetIds: network.privateSubnets.map((subnet) => subnet.id),
      secretsKmsKeyArn: keys.keys.eks.arn,
      logsKmsKeyArn: keys.keys.logs.arn,
      logRetentionDays: env.cluster.logRetentionDays,
      adminRoleArn: env.cluster.adminRoleArn,
      // CI's roles (created by npm run bootstrap): the plan role reads the cluster (Helm keeps its
      // releases in Secrets), the apply role administers it.
      accessEntries: {
        "ci-plan": {
          principalArn: `arn:${partition}:iam::${accountId}:role/${env.ci.planRole}`,
          policy: "AmazonEKSAdminViewPolicy",
        },
        "ci-apply": {
          principalArn: `arn:${partition}:iam::${accountId}:role/${env.ci.applyRole}`,
          policy: "AmazonEKSClusterAdminPolicy",
        },
      },
      publicAccessCidrs: env.cluster.publicAccessCidrs,
      nodeGroups: env.cluster.nodeGroups,
      addonVersions: versions.eks[env.cluster.version],
      deletionProtection: env.protection.deletionProtection,
      preventDestroy: protect,
    });
    const clusterSg = eks.cluster.vpcConfig.clusterSecurityGroupId;
    // Karpenter's EC2NodeClass selects subnets and security groups by this tag.
    new Ec2Tag(this, "cluster-sg-discovery", {
      resourceId: clusterSg,
      key: "karpenter.sh/discovery",
      value: naming.cluster,
    });

    const lake = new DataLake(this, "lake", {
      bucketPrefix: naming.lakeBucketPrefix(env.lake.bucketPrefix),
      accountId,
      zones: env.lake.zones,
      kmsKeyArn: keys.keys.s3.arn,
      noncurrentVersionExpiryDays: env.lake.noncurrentVersionExpiryDays,
      accessLogRetentionDays: env.lake.accessLogRetentionDays,
      preventDestroy: protect,
      region,
      airbyte: env.lake.airbyte,
    });

    const db = env.database;
    const dbProps = {
      identifier: naming.database,
      region,
      engineVersion: db.engineVersion,
      family: versions.postgres.family,
      instanceClass: db.instanceClass,
      vpcId: network.vpc.id,
      subnetIds: network.databaseSubnets.map((subnet) => subnet.id),
      clientSecurityGroupIds: [clusterSg],
      kmsKeyArn: keys.keys.rds.arn,
      logsKmsKeyArn: keys.keys.logs.arn,
      logRetentionDays: env.cluster.logRetentionDays,
      multiAz: db.multiAz,
      backupRetentionDays: db.backupRetentionDays,
      backupWindow: db.backupWindow,
      maintenanceWindow: db.maintenanceWindow,
      performanceInsightsRetentionDays: db.performanceInsightsRetentionDays,
      monitoringIntervalSeconds: db.monitoringIntervalSeconds,
      tuning: db.tuning,
      deletionProtection: env.protection.deletionProtection,
      preventDestroy: protect,
    };
    const postgres = source
      ? new PostgresReplica(this, "postgres", {
          ...dbProps,
          sourceArn: `arn:${partition}:rds:${source.aws.region}:${source.aws.accountId}:db:${names(source).database}`,
          promote: env.failover,
          maxAllocatedStorageGiB: db.maxAllocatedStorageGiB,
          secretsKmsKeyArn: keys.keys.secrets.arn,
        })
      : new Postgres(this, "postgres", {
          ...dbProps,
          allocatedStorageGiB: db.allocatedStorageGiB,
          maxAllocatedStorageGiB: db.maxAllocatedStorageGiB,
          secretsKmsKeyArn: keys.keys.secrets.arn,
        });

    // Credentials of the application databases (the apps layer creates databases and roles), and
    // the workloads' own secrets: all generated at apply time, none in state.
    const appSecrets = new AppSecrets(this, "app", {
      prefix: naming.secretPrefix,
      kmsKeyArn: keys.keys.secrets.arn,
      secrets: {
        ...Object.fromEntries(appDatabases.map((app) => [`postgres-${app}`, { username: app, database: app }])),
        ...Object.fromEntries(generatedSecrets.map((name) => [name, {}])),
      },
      recoveryWindowDays: env.isProtected ? 30 : 7,
      preventDestroy: protect,
      // What a standby must share with this environment is replicated into its region.
      ...(standby ? { replicate: { region: standby.aws.region, secrets: sharedWithStandby } } : {}),
    });

    // The apps layer's database Job reads the RDS-managed master secret (named rds!db-..., outside
    // the environment's prefix) through external-secrets; a replica has none until promoted.
    // A standby's grant is in place before promotion, matched by tag: a failover changes no IAM.
    const masterSecretArn = source ? undefined : postgres.instance.masterUserSecret.get(0).secretArn;
    const promotedSecret = source
      ? [
          promotedMasterSecretRead(
            region,
            accountId,
            partition,
            `arn:${partition}:rds:${region}:${accountId}:db:${naming.database}`,
          ),
        ]
      : [];
    // A standby reads the secrets it shares with its source from their replicas in its own region
    // (ARNs end in "-" and six random characters).
    const sharedArns = source
      ? sharedWithStandby.map(
          (name) =>
            `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${names(source).secretPrefix}/${name}-??????`,
        )
      : [];

    // One role per workload service account, each scoped to what it does.
    const lakeArns = Object.values(lake.buckets).map((bucket) => bucket.arn);
    const role = (
      key: PodIdentityAccount,
      suffix: string,
      extra: Omit<
        ConstructorParameters<typeof PodIdentityRole>[2],
        "clusterName" | "roleName" | "namespace" | "serviceAccount"
      >,
    ) =>
      new PodIdentityRole(this, `role-${suffix}`, {
        clusterName: naming.cluster,
        roleName: `${naming.base}-${suffix}`,
        namespace: serviceAccounts[key].namespace,
        serviceAccount: serviceAccounts[key].name,
        dependsOn: [eks.cluster],
        ...extra,
      });
    const platformArn = lake.platformBucket.arn;
    // Dremio: the lake, and its distributed storage in the platform bucket (the Foundation's default).
    role("dremio", "dremio", {
      statements: [
        ...lakeReadWrite(lakeArns, keys.keys.s3.arn),
        ...lakeReadWrite([platformArn], keys.keys.s3.arn, "dremio", "DistStorage"),
      ],
    });
    role("airbyte", "airbyte", { statements: lakeReadWrite([...lakeArns, lake.airbyteBucket.arn], keys.keys.s3.arn) });
    role("externalSecrets", "external-secrets", {
      statements: [
        ...secretsRead(
          `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${naming.secretPrefix}/`,
          keys.keys.secrets.arn,
          masterSecretArn,
          ...sharedArns,
        ),
        ...promotedSecret,
      ],
    });
    role("loadBalancerController", "aws-lb-controller", {
      statements: loadBalancerControllerStatements({ partition, region, accountId }),
    });

    // Elasticsearch documents web-identity credentials only: an OIDC provider and one IRSA role.
    const issuer = eks.cluster.identity.get(0).oidc.get(0).issuer;
    const oidc = new IamOpenidConnectProvider(this, "oidc", { url: issuer, clientIdList: ["sts.amazonaws.com"] });
    new IrsaRole(this, "role-es-snapshots", {
      provider: oidc,
      issuerUrl: issuer,
      roleName: `${naming.base}-es-snapshots`,
      namespace: serviceAccounts.elasticsearchSnapshots.namespace,
      serviceAccount: serviceAccounts.elasticsearchSnapshots.name,
      // Its own repository; a standby also reads its source's, replicated beside it.
      statements: [
        ...lakeReadWrite([platformArn], keys.keys.s3.arn, snapshotBasePath(env), "Snapshots"),
        ...(source ? objectsRead([platformArn], keys.keys.s3.arn, snapshotBasePath(source), "SourceSnapshots") : []),
      ],
    });
    const karpenter = new KarpenterPrerequisites(this, "karpenter", {
      clusterName: naming.cluster,
      clusterArn: eks.cluster.arn,
      accountId,
      region,
      namespace: serviceAccounts.karpenter.namespace,
      serviceAccount: serviceAccounts.karpenter.name,
      dependsOn: [eks.cluster],
    });

    // CloudWatch alarms for what Prometheus cannot see.
    const alarms = {
      name: naming.base,
      topicKmsKeyArn: keys.keys.alerts.arn,
      dbInstanceIdentifier: naming.database,
      maxConnections: db.tuning.maxConnections,
      replica: source !== undefined && !env.failover,
      rpoSeconds: 900,
    };

    // The replication from the source into this standby is the `<env>-replication` stack's: it
    // writes in the source's region, which a failover of this stack must not need.
    new PlatformAlarms(this, "alarms", alarms);

    // A standby's certificate also covers its source's names, so that a failover needs no new
    // certificate: its load balancer serves them as soon as DNS points there.
    const cert = new Certificate(this, "certificate", {
      domain: env.domain,
      zone: env.dns.zone,
      zoneId: env.dns.zoneId,
      alsoCovers: source ? [{ domain: source.domain }] : undefined,
    });

    // Outputs naming a secret are sensitive too (test/secrets.test.ts): kept out of CLI logs.
    const out = (id: string, value: string, description: string, sensitive?: boolean) =>
      new TerraformOutput(this, id, { value, description, sensitive });
    out("cluster_name", eks.cluster.name, "EKS cluster name");
    out("cluster_endpoint", eks.cluster.endpoint, "EKS API endpoint (private unless public CIDRs are configured)");
    out("vpc_id", network.vpc.id, "VPC id");
    out("postgres_address", postgres.instance.address, "PostgreSQL host");
    out("postgres_port", postgres.instance.port.toString(), "PostgreSQL port");
    if (postgres instanceof Postgres) {
      out(
        "postgres_master_secret_arn",
        postgres.instance.masterUserSecret.get(0).secretArn,
        "Secrets Manager ARN of the RDS-managed master credentials",
        true,
      );
    }
    for (const [name, secret] of Object.entries(appSecrets.secrets))
      out(`secret_${name.replace(/-/g, "_")}`, secret.name, `Secrets Manager name of ${name}`, true);
    for (const [zone, bucket] of Object.entries(lake.buckets))
      out(`lake_${zone}_bucket`, bucket.bucket, `Lake ${zone} bucket`);
    out("lake_access_log_bucket", lake.logBucket.bucket, "Access log bucket (also for load balancer logs)");
    out("certificate_arn", cert.validation.certificateArn, "ACM certificate for the domain and *.domain");
    out("karpenter_queue", karpenter.queue.name, "Karpenter interruption queue");
    out("karpenter_node_role", karpenter.nodeRole.name, "Karpenter node role");
  }
}

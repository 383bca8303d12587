// Every policy rule catches a violating fixture and passes a compliant one; tiers and waivers.
import { describe, expect, it } from "vitest";
import { Testing, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { DbInstance, type DbInstanceConfig } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { EksCluster, type EksClusterConfig } from "@cdktf/provider-aws/lib/eks-cluster";
import { LaunchTemplate, type LaunchTemplateConfig } from "@cdktf/provider-aws/lib/launch-template";
import { EksNodeGroup, type EksNodeGroupConfig } from "@cdktf/provider-aws/lib/eks-node-group";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Lb, type LbConfig } from "@cdktf/provider-aws/lib/lb";
import { LbListener, type LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { Release } from "@cdktf/provider-helm/lib/release";
import { allRules, ruleStatus, toPolicyResource } from "../../policy";
import { evaluate } from "./fixture-stack";
import type { Tier } from "../../config";
import { supportedEksVersions } from "../../config/versions";
import { PlatformNamespace } from "../../constructs/k8s/platform-namespace";

function statusOf(id: string, build: (s: Construct) => void, tier?: Tier) {
  const result = evaluate(build, tier).report.results.find((candidate) => candidate.rule.id === id)!;
  expect(result.checked, `${id} checked nothing`).toBeGreaterThan(0);
  return ruleStatus(result);
}

const goodDb: DbInstanceConfig = {
  identifier: "db",
  instanceClass: "db.t4g.micro",
  engine: "postgres",
  storageEncrypted: true,
  kmsKeyId: "arn:k",
  publiclyAccessible: false,
  multiAz: true,
  deletionProtection: true,
  backupRetentionPeriod: 7,
  iamDatabaseAuthenticationEnabled: true,
  performanceInsightsEnabled: true,
  performanceInsightsKmsKeyId: "arn:k",
  monitoringInterval: 60,
  enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
  autoMinorVersionUpgrade: true,
  copyTagsToSnapshot: true,
  manageMasterUserPassword: true,
  lifecycle: { preventDestroy: true },
};
const goodCluster: EksClusterConfig = {
  name: "c",
  roleArn: "arn:r",
  version: supportedEksVersions[0],
  accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
  deletionProtection: true,
  vpcConfig: { subnetIds: ["s"], endpointPublicAccess: false, endpointPrivateAccess: true },
  encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:k" } },
  enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
};
const goodLt: LaunchTemplateConfig = {
  metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 },
  blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 50 } }],
};
const container = {
  name: "app",
  image: "ghcr.io/acme/app:1.2.3",
  resources: { requests: { memory: "128Mi", cpu: "100m" }, limits: { memory: "256Mi" } },
  securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
  readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
  livenessProbe: { httpGet: { path: "/live", port: 8080 } },
};
const deployment = (
  overrides: Record<string, unknown> = {},
  ns: string | undefined = "apps",
  kind = "Deployment",
  podSpec: Record<string, unknown> = {},
) => {
  const pod = { spec: { ...podSpec, containers: [{ ...container, ...overrides }] } };
  return {
    apiVersion: kind === "CronJob" ? "batch/v1" : "apps/v1",
    kind,
    metadata: { name: "app", ...(ns ? { namespace: ns } : {}) },
    spec: kind === "CronJob" ? { schedule: "* * * * *", jobTemplate: { spec: { template: pod } } } : { template: pod },
  };
};
const tlsPolicy = (deny: boolean) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: deny
      ? [
          {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: "*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ]
      : [
          {
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "*",
          },
        ],
  });
const iamPolicy = (action: string, resource: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [action], Resource: resource }] });
const release = (overrides: Record<string, unknown>) => (scope: Construct) =>
  new Release(scope, "rel", { name: "r", chart: "c", repository: "https://charts.fixture.example", ...overrides });
const sse = (name: string, algo: string) => (scope: Construct) => {
  const s3Bucket = new S3Bucket(scope, "bucket", { bucket: name });
  new S3BucketServerSideEncryptionConfigurationA(scope, "sse", {
    bucket: s3Bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algo } }],
  });
};
const db = (overrides: Partial<DbInstanceConfig>) => (scope: Construct) =>
  new DbInstance(scope, "db", { ...goodDb, ...overrides });
const eks = (overrides: Partial<EksClusterConfig>) => (scope: Construct) =>
  new EksCluster(scope, "eks", { ...goodCluster, ...overrides });
const lt = (overrides: Partial<LaunchTemplateConfig>) => (scope: Construct) =>
  new LaunchTemplate(scope, "lt", { ...goodLt, ...overrides });
const k8s =
  (overrides: Record<string, unknown>, ns?: string | null, kind?: string, podSpec?: Record<string, unknown>) =>
  (scope: Construct) =>
    new Manifest(scope, "wl", { manifest: deployment(overrides, ns === null ? "" : (ns ?? "apps"), kind, podSpec) });
const batchJob = (spec: Record<string, unknown>) => (scope: Construct) =>
  new Manifest(scope, "wl", {
    manifest: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "setup-0a1b2c3d", namespace: "apps" },
      spec: { ...spec, template: { spec: { restartPolicy: "Never", containers: [container] } } },
    },
  });

// Fixtures for the rules that look across the stack.
const bucket = (scope: Construct, name = "lake-bronze") => new S3Bucket(scope, "bucket", { bucket: name });
const lifecycle = (status: string) => (scope: Construct) =>
  new S3BucketLifecycleConfiguration(scope, "lc", {
    bucket: bucket(scope).id,
    rule: [{ id: "expire", status, filter: [{ prefix: "" }], expiration: [{ days: 30 }] }],
  });
const replication =
  (source: string, destination: string, status = "Enabled") =>
  (scope: Construct) =>
    new S3BucketReplicationConfigurationA(scope, "rc", {
      bucket: source,
      role: "arn:r",
      rule: [
        {
          id: "r",
          status,
          filter: { prefix: "" },
          deleteMarkerReplication: { status: "Enabled" },
          destination: { bucket: destination },
        },
      ],
    });
const goodNodeGroup: EksNodeGroupConfig = {
  clusterName: "c",
  nodeGroupName: "general",
  nodeRoleArn: "arn:r",
  subnetIds: ["s"],
  scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 2 },
  launchTemplate: { id: "lt-1", version: "1" },
};
const vpcCni = (values?: Record<string, unknown>) => (scope: Construct) =>
  new EksAddon(scope, "cni", {
    clusterName: "c",
    addonName: "vpc-cni",
    ...(values ? { configurationValues: JSON.stringify(values) } : {}),
  });
const trust = (principal: unknown, condition?: Record<string, unknown>) => (scope: Construct) =>
  new IamRole(scope, "role", {
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: principal,
          Action: "sts:AssumeRole",
          ...(condition ? { Condition: condition } : {}),
        },
      ],
    }),
  });
const ingressRule =
  (overrides: Partial<ConstructorParameters<typeof VpcSecurityGroupIngressRule>[2]>) => (scope: Construct) =>
    new VpcSecurityGroupIngressRule(scope, "in", {
      securityGroupId: "sg-1",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "HTTPS",
      ...overrides,
    });
const goodLbAttributes =
  "routing.http.drop_invalid_header_fields.enabled=true,deletion_protection.enabled=true,access_logs.s3.enabled=true,access_logs.s3.bucket=logs,access_logs.s3.prefix=alb";
const goodAlbAnnotations = {
  "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
  "alb.ingress.kubernetes.io/ssl-redirect": "443",
  "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "alb.ingress.kubernetes.io/load-balancer-attributes": goodLbAttributes,
};
/** An ALB Ingress with the compliant annotations, some replaced (undefined removes one). */
const alb =
  (changes: Record<string, string | undefined> = {}) =>
  (scope: Construct) => {
    const annotations = Object.fromEntries(
      Object.entries({ ...goodAlbAnnotations, ...changes }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    return new IngressV1(scope, "ing", {
      metadata: { name: "web", namespace: "apps", annotations },
      spec: {
        ingressClassName: "alb",
        rule: [
          {
            host: "web.fixture.example",
            http: { path: [{ path: "/", backend: { service: { name: "web", port: { number: 80 } } } }] },
          },
        ],
      },
    });
  };
const lbAttrs = (replace: string, by: string) =>
  alb({ "alb.ingress.kubernetes.io/load-balancer-attributes": goodLbAttributes.replace(replace, by) });
const goodLb: LbConfig = {
  name: "web",
  dropInvalidHeaderFields: true,
  enableDeletionProtection: true,
  accessLogs: { bucket: "logs", enabled: true },
};
const lb = (overrides: Partial<LbConfig>) => (scope: Construct) => new Lb(scope, "lb", { ...goodLb, ...overrides });
const listener = (protocol: string, defaultAction: LbListenerDefaultAction, sslPolicy?: string) => (scope: Construct) =>
  new LbListener(scope, "listener", {
    loadBalancerArn: "arn:lb",
    port: protocol === "HTTP" ? 80 : 443,
    protocol,
    sslPolicy,
    certificateArn: protocol === "HTTP" ? undefined : "arn:cert",
    defaultAction: [defaultAction],
  });
const forward: LbListenerDefaultAction = { type: "forward", targetGroupArn: "arn:tg" };
const toHttps: LbListenerDefaultAction = {
  type: "redirect",
  redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
};
const namespace = (scope: Construct, name = "lake") => new NamespaceV1(scope, "ns", { metadata: { name } });
const netpol = (
  scope: Construct,
  id: string,
  ns: string,
  spec: ConstructorParameters<typeof NetworkPolicyV1>[2]["spec"],
) => new NetworkPolicyV1(scope, id, { metadata: { name: id, namespace: ns }, spec });
const labels = { "app.kubernetes.io/name": "web" };
/** A Deployment or StatefulSet with pod labels, in namespace apps. */
const replicated = (scope: Construct, replicas: number, kind = "Deployment") =>
  new Manifest(scope, "wl", {
    manifest: {
      apiVersion: "apps/v1",
      kind,
      metadata: { name: "web", namespace: "apps" },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [container] } },
      },
    },
  });
const pdb = (scope: Construct, ns = "apps", selector: Record<string, string> = labels) =>
  new PodDisruptionBudgetV1(scope, "pdb", {
    metadata: { name: "web", namespace: ns },
    spec: { maxUnavailable: "1", selector: { matchLabels: selector } },
  });
const hpa = (scope: Construct, kind: string) =>
  new HorizontalPodAutoscalerV2(scope, "hpa", {
    metadata: { name: "web", namespace: "apps" },
    spec: { minReplicas: 1, maxReplicas: 4, scaleTargetRef: { apiVersion: "apps/v1", kind, name: "web" } },
  });

type Build = (s: Construct) => unknown;
/** Rule id → [violating fixture, compliant fixture]. */
const cases: Record<string, [Build, Build][]> = {
  "S3-001": [
    [
      (scope) =>
        new S3BucketPublicAccessBlock(scope, "pab", {
          bucket: "b",
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: false,
        }),
      (scope) =>
        new S3BucketPublicAccessBlock(scope, "pab", {
          bucket: "b",
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        }),
    ],
  ],
  "S3-002": [
    [sse("lake-bronze", "AES256"), sse("lake-bronze", "aws:kms")],
    [sse("lake-bronze", "AES256"), sse("lake-access-logs", "AES256")],
  ],
  "S3-003": [
    [
      (scope) => new S3BucketVersioningA(scope, "v", { bucket: "b", versioningConfiguration: { status: "Suspended" } }),
      (scope) => new S3BucketVersioningA(scope, "v", { bucket: "b", versioningConfiguration: { status: "Enabled" } }),
    ],
  ],
  "S3-004": [
    [
      (scope) => new S3BucketPolicy(scope, "p", { bucket: "b", policy: tlsPolicy(false) }),
      (scope) => new S3BucketPolicy(scope, "p", { bucket: "b", policy: tlsPolicy(true) }),
    ],
  ],
  "S3-005": [
    [(scope) => bucket(scope), lifecycle("Enabled")],
    [lifecycle("Disabled"), lifecycle("Enabled")],
  ],
  "S3-006": [
    [
      (scope) => bucket(scope),
      (scope) =>
        new S3BucketLoggingA(scope, "logging", {
          bucket: bucket(scope).id,
          targetBucket: new S3Bucket(scope, "logs", { bucket: "lake-access-logs" }).id,
          targetPrefix: "bronze/",
        }),
    ],
    [(scope) => bucket(scope, "lake-data"), (scope) => bucket(scope, "lake-access-logs")],
  ],
  "S3-007": [
    [(scope) => bucket(scope), (scope) => replication(bucket(scope).id, "arn:aws:s3:::replica-bronze")(scope)],
    [
      (scope) => replication("source-bronze", bucket(scope).arn, "Disabled")(scope),
      (scope) => replication("source-bronze", bucket(scope).arn)(scope),
    ],
    [(scope) => bucket(scope, "lake-data"), (scope) => bucket(scope, "lake-access-logs")],
  ],
  "RDS-001": [[db({ storageEncrypted: false }), db({})]],
  "RDS-002": [[db({ publiclyAccessible: true }), db({})]],
  "RDS-003": [[db({ multiAz: false }), db({})]],
  "RDS-004": [[db({ deletionProtection: false }), db({})]],
  "RDS-005": [[db({ backupRetentionPeriod: 1 }), db({})]],
  "RDS-006": [[db({ iamDatabaseAuthenticationEnabled: false }), db({})]],
  "RDS-007": [
    [db({ performanceInsightsEnabled: false }), db({})],
    [db({ performanceInsightsKmsKeyId: undefined }), db({})],
  ],
  "RDS-008": [[db({ monitoringInterval: 0 }), db({})]],
  "RDS-009": [[db({ enabledCloudwatchLogsExports: ["upgrade"] }), db({})]],
  "RDS-010": [[db({ autoMinorVersionUpgrade: false }), db({})]],
  "RDS-011": [[db({ copyTagsToSnapshot: false }), db({})]],
  "RDS-014": [
    [db({ engineVersion: "17.6" }), db({ engineVersion: "17" })],
    [
      db({ engineVersion: "16.9", autoMinorVersionUpgrade: undefined }),
      db({ engineVersion: "16.9", autoMinorVersionUpgrade: false }),
    ],
  ],
  "RDS-013": [
    [db({ manageMasterUserPassword: undefined, password: "hunter22" }), db({})],
    [
      db({ manageMasterUserPassword: undefined }),
      db({ manageMasterUserPassword: undefined, replicateSourceDb: "arn:aws:rds:us-east-1:1:db:src" }),
    ],
  ],
  "RDS-012": [
    [
      (scope) =>
        new DbParameterGroup(scope, "pg", {
          family: "postgres16",
          parameter: [{ name: "log_min_duration_statement", value: "500" }],
        }),
      (scope) =>
        new DbParameterGroup(scope, "pg", { family: "postgres16", parameter: [{ name: "rds.force_ssl", value: "1" }] }),
    ],
  ],
  "EKS-001": [[eks({ encryptionConfig: undefined }), eks({})]],
  "EKS-002": [[eks({ enabledClusterLogTypes: ["api", "audit"] }), eks({})]],
  "EKS-003": [
    [eks({ vpcConfig: { subnetIds: ["s"], endpointPublicAccess: true } }), eks({})],
    [
      eks({ vpcConfig: { subnetIds: ["s"], endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } }),
      eks({ vpcConfig: { subnetIds: ["s"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } }),
    ],
  ],
  "EKS-004": [[lt({ metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 } }), lt({})]],
  "EKS-005": [[lt({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 3 } }), lt({})]],
  "EKS-006": [
    [lt({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50 } }] }), lt({})],
    [lt({ blockDeviceMappings: undefined }), lt({})],
  ],
  "EKS-007": [
    [eks({ version: "1.20" }), eks({})],
    [eks({ version: undefined }), eks({})],
  ],
  "EKS-008": [
    [
      eks({ accessConfig: { authenticationMode: "CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: false } }),
      eks({}),
    ],
    [
      eks({ accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true } }),
      eks({
        accessConfig: { authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: false },
      }),
    ],
    [eks({ accessConfig: undefined }), eks({})],
  ],
  "EKS-009": [
    [
      (scope) => new EksNodeGroup(scope, "ng", { ...goodNodeGroup, launchTemplate: undefined }),
      (scope) => new EksNodeGroup(scope, "ng", goodNodeGroup),
    ],
  ],
  "EKS-010": [
    [vpcCni(), vpcCni({ enableNetworkPolicy: "true" })],
    [
      vpcCni({ enableNetworkPolicy: "false" }),
      vpcCni({ enableNetworkPolicy: "true", env: { ENABLE_PREFIX_DELEGATION: "true" } }),
    ],
  ],
  "EKS-011": [[eks({ deletionProtection: false }), eks({})]],
  "KMS-001": [
    [
      (scope) => new KmsKey(scope, "k", { policy: "{}", enableKeyRotation: false }),
      (scope) => new KmsKey(scope, "k", { policy: "{}", enableKeyRotation: true }),
    ],
  ],
  "KMS-002": [
    [
      (scope) => new KmsKey(scope, "k", { enableKeyRotation: true }),
      (scope) => new KmsKey(scope, "k", { policy: "{}", enableKeyRotation: true }),
    ],
  ],
  "VPC-001": [
    [
      (scope) =>
        new DefaultSecurityGroup(scope, "d", {
          vpcId: "v",
          ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
          egress: [],
        }),
      (scope) => new DefaultSecurityGroup(scope, "d", { vpcId: "v", ingress: [], egress: [] }),
    ],
  ],
  "VPC-002": [
    [
      (scope) => new Subnet(scope, "private-0", { vpcId: "v", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true }),
      (scope) => new Subnet(scope, "private-0", { vpcId: "v", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: false }),
    ],
  ],
  "IAM-001": [
    [
      (scope) => new IamRolePolicy(scope, "p", { role: "r", policy: iamPolicy("*", "*") }),
      (scope) => new IamRolePolicy(scope, "p", { role: "r", policy: iamPolicy("s3:GetObject", "*") }),
    ],
    [
      (scope) => new IamRolePolicy(scope, "p", { role: "r", policy: iamPolicy("iam:*", "*") }),
      (scope) => new IamRolePolicy(scope, "p", { role: "r", policy: iamPolicy("iam:*", "arn:aws:iam::1:role/x") }),
    ],
  ],
  "VPC-003": [
    [
      (scope) => new Vpc(scope, "vpc", { cidrBlock: "10.0.0.0/16" }),
      (scope) =>
        new FlowLog(scope, "flow", {
          vpcId: new Vpc(scope, "vpc", { cidrBlock: "10.0.0.0/16" }).id,
          trafficType: "ALL",
          logDestination: "arn:aws:logs:eu-west-1:1:log-group:flow",
        }),
    ],
  ],
  "CW-001": [
    [
      (scope) => new CloudwatchLogGroup(scope, "lg", { name: "l", retentionInDays: 30 }),
      (scope) => new CloudwatchLogGroup(scope, "lg", { name: "l", retentionInDays: 30, kmsKeyId: "arn:k" }),
    ],
  ],
  "CW-002": [
    [
      (scope) => new CloudwatchLogGroup(scope, "lg", { name: "l", kmsKeyId: "arn:k" }),
      (scope) => new CloudwatchLogGroup(scope, "lg", { name: "l", retentionInDays: 30, kmsKeyId: "arn:k" }),
    ],
    [
      (scope) => new CloudwatchLogGroup(scope, "lg", { name: "l", retentionInDays: 0, kmsKeyId: "arn:k" }),
      (scope) => new CloudwatchLogGroup(scope, "lg", { name: "l", retentionInDays: 365, kmsKeyId: "arn:k" }),
    ],
  ],
  "SNS-001": [
    [
      (scope) => new SnsTopic(scope, "t", { name: "t" }),
      (scope) => new SnsTopic(scope, "t", { name: "t", kmsMasterKeyId: "arn:k" }),
    ],
  ],
  "SQS-001": [
    [
      (scope) => new SqsQueue(scope, "q", { name: "q" }),
      (scope) => new SqsQueue(scope, "q", { name: "q", sqsManagedSseEnabled: true }),
    ],
    [
      (scope) => new SqsQueue(scope, "q", { name: "q", sqsManagedSseEnabled: false }),
      (scope) => new SqsQueue(scope, "q", { name: "q", kmsMasterKeyId: "alias/q" }),
    ],
  ],
  "IAM-002": [
    [trust("*"), trust({ Service: "ec2.amazonaws.com" })],
    [
      trust({ AWS: "*" }, { Bool: { "aws:SecureTransport": "true" } }),
      trust({ AWS: "*" }, { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } }),
    ],
    [
      trust({ AWS: ["*"] }, { StringNotEquals: { "aws:PrincipalAccount": "111122223333" } }),
      trust({ AWS: "arn:aws:iam::111122223333:root" }),
    ],
  ],
  "IAM-003": [
    [
      (scope) => new IamRolePolicy(scope, "p", { role: "r", policy: iamPolicy("s3:GetObject", "*") }),
      (scope) => new IamRolePolicy(scope, "p", { role: "r", policy: iamPolicy("s3:GetObject", "arn:aws:s3:::b/*") }),
    ],
    [
      (scope) => new IamRolePolicy(scope, "p", { role: "r", policy: iamPolicy("kms:Decrypt", "*") }),
      (scope) => new IamRolePolicy(scope, "p", { role: "r", policy: iamPolicy("ec2:DescribeInstances", "*") }),
    ],
    [
      (scope) => new IamRolePolicy(scope, "p", { role: "r", policy: iamPolicy("secretsmanager:GetSecretValue", "*") }),
      (scope) => new IamRolePolicy(scope, "p", { role: "r", policy: iamPolicy("secretsmanager:ListSecrets", "*") }),
    ],
  ],
  "SG-001": [
    [
      (scope) => new SecurityGroup(scope, "sg", { name: "db", vpcId: "v" }),
      (scope) => new SecurityGroup(scope, "sg", { name: "db", vpcId: "v", description: "PostgreSQL from the cluster" }),
    ],
    [
      (scope) =>
        new SecurityGroup(scope, "sg", {
          name: "db",
          vpcId: "v",
          description: "db",
          ingress: [{ fromPort: 5432, toPort: 5432, protocol: "tcp", securityGroups: ["sg-1"] }],
        }),
      (scope) =>
        new SecurityGroup(scope, "sg", {
          name: "db",
          vpcId: "v",
          description: "db",
          ingress: [
            {
              fromPort: 5432,
              toPort: 5432,
              protocol: "tcp",
              securityGroups: ["sg-1"],
              description: "from the cluster",
            },
          ],
        }),
    ],
    [ingressRule({ description: undefined }), ingressRule({})],
    [
      (scope) =>
        new SecurityGroupRule(scope, "r", {
          type: "egress",
          securityGroupId: "sg-1",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["0.0.0.0/0"],
        }),
      (scope) =>
        new SecurityGroupRule(scope, "r", {
          type: "egress",
          securityGroupId: "sg-1",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["0.0.0.0/0"],
          description: "HTTPS out",
        }),
    ],
  ],
  "SG-002": [
    [ingressRule({ fromPort: 22, toPort: 22 }), ingressRule({})],
    [
      (scope) =>
        new SecurityGroupRule(scope, "r", {
          type: "ingress",
          securityGroupId: "sg-1",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
          description: "all",
        }),
      (scope) =>
        new SecurityGroupRule(scope, "r", {
          type: "ingress",
          securityGroupId: "sg-1",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["10.0.0.0/8"],
          description: "all from the VPC",
        }),
    ],
    [
      (scope) =>
        new SecurityGroup(scope, "sg", {
          name: "db",
          vpcId: "v",
          description: "db",
          ingress: [{ fromPort: 5000, toPort: 6000, protocol: "tcp", ipv6CidrBlocks: ["::/0"], description: "range" }],
        }),
      (scope) =>
        new SecurityGroup(scope, "sg", {
          name: "db",
          vpcId: "v",
          description: "db",
          ingress: [
            {
              fromPort: 5432,
              toPort: 5432,
              protocol: "tcp",
              securityGroups: ["sg-1"],
              description: "from the cluster",
            },
          ],
        }),
    ],
    [
      ingressRule({ fromPort: 9200, toPort: 9200, cidrIpv4: undefined, cidrIpv6: "::/0" }),
      ingressRule({ fromPort: 9200, toPort: 9200, cidrIpv4: "10.0.0.0/16" }),
    ],
  ],
  "LB-001": [
    [alb({ "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }]) }), alb()],
    [
      alb({ "alb.ingress.kubernetes.io/ssl-redirect": undefined }),
      alb({
        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]),
        "alb.ingress.kubernetes.io/ssl-redirect": undefined,
      }),
    ],
    [alb({ "alb.ingress.kubernetes.io/listen-ports": undefined }), alb()],
    [listener("HTTP", forward), listener("HTTP", toHttps)],
    [
      (scope) =>
        new Manifest(scope, "ing", {
          manifest: {
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: {
              name: "web",
              namespace: "apps",
              annotations: { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80}]' },
            },
            spec: { ingressClassName: "alb" },
          },
        }),
      (scope) =>
        new Manifest(scope, "ing", {
          manifest: {
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: { name: "web", namespace: "apps", annotations: goodAlbAnnotations },
            spec: { ingressClassName: "alb" },
          },
        }),
    ],
  ],
  "LB-002": [
    [alb({ "alb.ingress.kubernetes.io/ssl-policy": undefined }), alb()],
    [
      alb({ "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-1-2021-06" }),
      alb({ "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-3-2021-06" }),
    ],
    [
      listener("HTTPS", forward, "ELBSecurityPolicy-2016-08"),
      listener("HTTPS", forward, "ELBSecurityPolicy-TLS13-1-2-2021-06"),
    ],
  ],
  "LB-003": [
    [lbAttrs("routing.http.drop_invalid_header_fields.enabled=true,", ""), alb()],
    [lb({ dropInvalidHeaderFields: false }), lb({})],
  ],
  "LB-004": [
    [lbAttrs("deletion_protection.enabled=true", "deletion_protection.enabled=false"), alb()],
    [lb({ enableDeletionProtection: undefined }), lb({})],
  ],
  "LB-005": [
    [lbAttrs("access_logs.s3.enabled=true", "access_logs.s3.enabled=false"), alb()],
    [lbAttrs("access_logs.s3.bucket=logs,", ""), alb()],
    [lb({ accessLogs: { bucket: "logs" } }), lb({})],
  ],
  "SM-001": [
    [
      (scope) => new SecretsmanagerSecret(scope, "sec", { name: "x" }),
      (scope) => new SecretsmanagerSecret(scope, "sec", { name: "x", kmsKeyId: "arn:k" }),
    ],
  ],
  "K8S-001": [[k8s({ resources: { requests: { memory: "1Gi" } } }), k8s({})]],
  "K8S-002": [
    [k8s({ securityContext: { allowPrivilegeEscalation: false } }), k8s({})],
    [
      k8s({ securityContext: { runAsUser: 0, allowPrivilegeEscalation: false } }, "apps", "CronJob"),
      k8s({}, "apps", "CronJob"),
    ],
  ],
  "K8S-003": [[k8s({ securityContext: { runAsNonRoot: true } }), k8s({})]],
  "K8S-004": [
    [k8s({ securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: true } }), k8s({})],
  ],
  "K8S-005": [
    [k8s({ image: "nginx:latest" }), k8s({ image: "nginx@sha256:abc" })],
    [k8s({ image: "registry:5000/nginx" }), k8s({ image: "registry:5000/nginx:1.27" })],
  ],
  "K8S-006": [
    [k8s({}, null), k8s({})],
    [
      (scope) => new NamespaceV1(scope, "ns", { metadata: { name: "default" } }),
      (scope) => new NamespaceV1(scope, "ns", { metadata: { name: "lake" } }),
    ],
  ],
  "K8S-007": [[k8s({ resources: { requests: { memory: "128Mi" }, limits: { memory: "256Mi" } } }), k8s({})]],
  "K8S-008": [
    [k8s({ livenessProbe: undefined }), k8s({})],
    [
      k8s({ readinessProbe: undefined }, "apps", "StatefulSet"),
      k8s({ readinessProbe: undefined, livenessProbe: undefined }, "apps", "CronJob"),
    ],
    [
      k8s({ readinessProbe: undefined, livenessProbe: undefined }, "apps", "DaemonSet"),
      k8s({}, "apps", "Deployment", {
        initContainers: [{ ...container, name: "init", readinessProbe: undefined, livenessProbe: undefined }],
      }),
    ],
  ],
  "K8S-009": [
    [(scope) => namespace(scope), (scope) => new PlatformNamespace(scope, "lake", { name: "lake" })],
    [
      (scope) =>
        netpol(scope, "deny-in", namespace(scope).metadata.name, { podSelector: {}, policyTypes: ["Ingress"] }),
      (scope) => {
        namespace(scope);
        netpol(scope, "deny-in", "lake", { podSelector: {}, policyTypes: ["Ingress"] });
        netpol(scope, "deny-out", "lake", { podSelector: {}, policyTypes: ["Egress"] });
      },
    ],
    [
      (scope) =>
        netpol(scope, "web-only", namespace(scope).metadata.name, {
          podSelector: { matchLabels: labels },
          policyTypes: ["Ingress", "Egress"],
        }),
      (scope) =>
        netpol(scope, "deny", namespace(scope).metadata.name, { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    ],
  ],
  "K8S-010": [
    [(scope) => replicated(scope, 2), (scope) => (replicated(scope, 2), pdb(scope))],
    [
      (scope) => (replicated(scope, 1, "StatefulSet"), hpa(scope, "StatefulSet")),
      (scope) => (replicated(scope, 1, "StatefulSet"), hpa(scope, "StatefulSet"), pdb(scope)),
    ],
    [(scope) => (replicated(scope, 3), pdb(scope, "other")), (scope) => replicated(scope, 1)],
    [
      (scope) => (replicated(scope, 3), pdb(scope, "apps", { ...labels, tier: "db" })),
      (scope) => (replicated(scope, 3), hpa(scope, "StatefulSet"), pdb(scope, "apps", {})),
    ],
  ],
  "K8S-011": [
    [k8s({}, "apps", "Deployment", { hostNetwork: true }), k8s({}, "apps", "Deployment", { hostNetwork: false })],
  ],
  "K8S-012": [
    [
      k8s({ resources: { requests: { cpu: "250m", memory: "1024Mi" }, limits: { memory: "1024Mi" } } }),
      k8s({ resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1536Mi" } } }),
    ],
    [
      k8s({ resources: { requests: { cpu: "1000m", memory: "1Gi" } } }),
      k8s({ resources: { requests: { cpu: "1", memory: "1Gi" } } }),
    ],
    // A custom resource keeps the text it was given: its quantities are not rewritten.
    [
      k8s({ resources: { limits: { memory: "2048Mi" } } }),
      (scope) =>
        new Manifest(scope, "wl", {
          manifest: {
            apiVersion: "karpenter.sh/v1",
            kind: "NodePool",
            metadata: { name: "p" },
            spec: { limits: { cpu: "1000" } },
          },
        }),
    ],
  ],
  "K8S-013": [
    [batchJob({ ttlSecondsAfterFinished: 86400 }), batchJob({})],
    [batchJob({ ttlSecondsAfterFinished: 0 }), k8s({}, "apps", "CronJob")],
    [
      batchJob({ ttlSecondsAfterFinished: 3600 }),
      (scope) =>
        new Manifest(scope, "wl", {
          manifest: {
            ...deployment({}, "apps", "CronJob"),
            spec: {
              schedule: "0 * * * *",
              jobTemplate: { spec: { ttlSecondsAfterFinished: 3600, template: { spec: { containers: [container] } } } },
            },
          },
        }),
    ],
  ],
  "HELM-001": [[release({}), release({ version: "1.2.3" })]],
  "HELM-002": [[release({ version: "1", wait: false }), release({ version: "1", wait: false, atomic: true })]],
  "HELM-003": [
    [release({ version: "1", repository: "http://charts.fixture.example" }), release({ version: "1" })],
    [
      release({ version: "1", repository: undefined, chart: "http://charts.fixture.example/c-1.tgz" }),
      release({ version: "1", repository: "oci://registry.fixture.example/charts" }),
    ],
  ],
};

/** Rules whose violating and compliant fixtures live in their own file. */
const testedElsewhere = ["SEC-001", "STATE-001", "DEP-001"]; // test/policy/secrets-state.test.ts, dependencies.test.ts

describe("policy rules", () => {
  it("has at least 50 rules with unique ids and a case for each", () => {
    const ids = allRules.map((rule) => rule.id);
    expect(ids.length).toBeGreaterThanOrEqual(50);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(cases).sort()).toEqual(ids.filter((id) => !testedElsewhere.includes(id)).sort());
  });

  for (const rule of allRules) {
    (cases[rule.id] ?? []).forEach(([bad, good], i) => {
      it(`${rule.id} catches violating fixture ${i + 1} and passes the compliant one`, () => {
        expect(statusOf(rule.id, bad)).toBe(rule.errorTiers.includes("production") ? "fail" : "warn");
        expect(statusOf(rule.id, good)).toBe("pass");
      });
    });
  }
});

describe("policy aspect", () => {
  it("reads snake_case attributes from toTerraform", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    const resource = toPolicyResource(new DbInstance(stack, "db", goodDb))!;
    expect(resource.type).toBe("aws_db_instance");
    expect(resource.address).toBe("aws_db_instance.db");
    expect(resource.attrs.storage_encrypted).toBe(true);
    expect(resource.attrs["//"]).toEqual({ metadata: { path: "s/db", uniqueId: "db" } }); // as written to the JSON
  });

  it("is an error in production (synthesis fails) and a warning in development", () => {
    const meta = (stack: TerraformStack) => stack.node.findAll().flatMap((construct) => construct.node.metadata);
    const prod = evaluate(db({ deletionProtection: false }), "production");
    expect(
      meta(prod.stack)
        .filter((entry) => entry.type === "@cdktf/error")
        .map((entry) => entry.data),
    ).toContain(
      "[RDS-004] aws_db_instance.db: set deletion_protection = true — deletion_protection is false. To change: protection.deletionProtection in the configuration of the environment. " +
        "Or waive it with a reason in the environment's policy.waivers (rule RDS-004, address aws_db_instance.db).",
    );
    expect(() => Testing.fullSynth(prod.stack)).toThrow(/RDS-004/);

    const dev = evaluate(db({ deletionProtection: false }), "development");
    expect(ruleStatus(dev.report.results.find((candidate) => candidate.rule.id === "RDS-004")!)).toBe("warn");
    expect(meta(dev.stack).some((entry) => entry.type === "@cdktf/error")).toBe(false);
    expect(
      meta(dev.stack).some((entry) => entry.type === "@cdktf/warn" && String(entry.data).startsWith("[RDS-004]")),
    ).toBe(true);
    expect(() => Testing.fullSynth(dev.stack)).not.toThrow();
  });

  it("uses the tier: protected-tier rules only warn in staging", () => {
    expect(statusOf("RDS-003", db({ multiAz: false }), "staging")).toBe("warn");
    expect(statusOf("RDS-003", db({ multiAz: false }), "standby")).toBe("fail");
  });

  it("reports every violation together", () => {
    const { report } = evaluate(db({ storageEncrypted: false, publiclyAccessible: true, copyTagsToSnapshot: false }));
    expect(report.results.filter((result) => ruleStatus(result) === "fail").map((result) => result.rule.id)).toEqual([
      "RDS-001",
      "RDS-002",
      "RDS-011",
    ]);
  });

  it("a waiver turns an error into waived, with its reason", () => {
    const reason = "restored from an unencrypted snapshot; migration planned";
    const { stack, report } = evaluate(db({ storageEncrypted: false }), "production", [
      { rule: "RDS-001", address: "aws_db_instance.db", reason },
    ]);
    const result = report.results.find((candidate) => candidate.rule.id === "RDS-001")!;
    expect(ruleStatus(result)).toBe("waived");
    expect(result.violations[0]!.waiver).toBe(reason);
    const meta = stack.node.findAll().flatMap((construct) => construct.node.metadata);
    expect(meta.some((entry) => entry.type === "@cdktf/error")).toBe(false);
    expect(meta.find((entry) => entry.type === "@cdktf/info")?.data).toContain(`(waived: ${reason})`);
    expect(() => Testing.fullSynth(stack)).not.toThrow();
  });
});

// Every policy rule catches a violating fixture and passes a compliant one; tiers and waivers.
import { describe, expect, it } from "vitest";
import { Aspects, Testing, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { DbInstance, type DbInstanceConfig } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { EksCluster, type EksClusterConfig } from "@cdktf/provider-aws/lib/eks-cluster";
import { LaunchTemplate, type LaunchTemplateConfig } from "@cdktf/provider-aws/lib/launch-template";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { allRules, PolicyAspect, ruleStatus, toPolicyResource, type Waiver } from "../../policy";
import type { Tier } from "../../config";

function evaluate(build: (s: Construct) => void, tier: Tier = "production", waivers: Waiver[] = []) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "fixture");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new KubernetesProvider(stack, "kubernetes", { configPath: "~/.kube/config" });
  new HelmProvider(stack, "helm", { kubernetes: { configPath: "~/.kube/config" } });
  build(stack);
  const aspect = new PolicyAspect({ tier, rules: allRules, waivers });
  Aspects.of(stack).add(aspect);
  Testing.synth(stack);
  return { app, stack, report: aspect.report! };
}

function statusOf(id: string, build: (s: Construct) => void, tier?: Tier) {
  const r = evaluate(build, tier).report.results.find((x) => x.rule.id === id)!;
  expect(r.checked, `${id} checked nothing`).toBeGreaterThan(0);
  return ruleStatus(r);
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
};
const goodCluster: EksClusterConfig = {
  name: "c",
  roleArn: "arn:r",
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
};
const deployment = (c: Record<string, unknown> = {}, ns: string | undefined = "apps", kind = "Deployment") => {
  const pod = { spec: { containers: [{ ...container, ...c }] } };
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
      ? [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }]
      : [{ Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "*" }],
  });
const iamPolicy = (action: string, resource: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [action], Resource: resource }] });
const release = (c: Record<string, unknown>) => (s: Construct) => new Release(s, "rel", { name: "r", chart: "c", repository: "https://charts.example.com", ...c });
const sse = (name: string, algo: string) => (s: Construct) => {
  const b = new S3Bucket(s, "bucket", { bucket: name });
  new S3BucketServerSideEncryptionConfigurationA(s, "sse", { bucket: b.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algo } }] });
};
const db = (c: Partial<DbInstanceConfig>) => (s: Construct) => new DbInstance(s, "db", { ...goodDb, ...c });
const eks = (c: Partial<EksClusterConfig>) => (s: Construct) => new EksCluster(s, "eks", { ...goodCluster, ...c });
const lt = (c: Partial<LaunchTemplateConfig>) => (s: Construct) => new LaunchTemplate(s, "lt", { ...goodLt, ...c });
const k8s = (c: Record<string, unknown>, ns?: string | null, kind?: string) => (s: Construct) =>
  new Manifest(s, "wl", { manifest: deployment(c, ns === null ? "" : (ns ?? "apps"), kind) });

type Build = (s: Construct) => unknown;
/** Rule id → [violating fixture, compliant fixture]. */
const cases: Record<string, [Build, Build][]> = {
  "S3-001": [
    [
      (s) => new S3BucketPublicAccessBlock(s, "pab", { bucket: "b", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: false }),
      (s) => new S3BucketPublicAccessBlock(s, "pab", { bucket: "b", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
    ],
  ],
  "S3-002": [
    [sse("lake-bronze", "AES256"), sse("lake-bronze", "aws:kms")],
    [sse("lake-bronze", "AES256"), sse("lake-access-logs", "AES256")],
  ],
  "S3-003": [
    [
      (s) => new S3BucketVersioningA(s, "v", { bucket: "b", versioningConfiguration: { status: "Suspended" } }),
      (s) => new S3BucketVersioningA(s, "v", { bucket: "b", versioningConfiguration: { status: "Enabled" } }),
    ],
  ],
  "S3-004": [[(s) => new S3BucketPolicy(s, "p", { bucket: "b", policy: tlsPolicy(false) }), (s) => new S3BucketPolicy(s, "p", { bucket: "b", policy: tlsPolicy(true) })]],
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
  "RDS-012": [
    [
      (s) => new DbParameterGroup(s, "pg", { family: "postgres16", parameter: [{ name: "log_min_duration_statement", value: "500" }] }),
      (s) => new DbParameterGroup(s, "pg", { family: "postgres16", parameter: [{ name: "rds.force_ssl", value: "1" }] }),
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
  "KMS-001": [[(s) => new KmsKey(s, "k", { policy: "{}", enableKeyRotation: false }), (s) => new KmsKey(s, "k", { policy: "{}", enableKeyRotation: true })]],
  "KMS-002": [[(s) => new KmsKey(s, "k", { enableKeyRotation: true }), (s) => new KmsKey(s, "k", { policy: "{}", enableKeyRotation: true })]],
  "VPC-001": [
    [
      (s) => new DefaultSecurityGroup(s, "d", { vpcId: "v", ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }], egress: [] }),
      (s) => new DefaultSecurityGroup(s, "d", { vpcId: "v", ingress: [], egress: [] }),
    ],
  ],
  "VPC-002": [
    [
      (s) => new Subnet(s, "private-0", { vpcId: "v", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true }),
      (s) => new Subnet(s, "private-0", { vpcId: "v", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: false }),
    ],
  ],
  "IAM-001": [
    [(s) => new IamRolePolicy(s, "p", { role: "r", policy: iamPolicy("*", "*") }), (s) => new IamRolePolicy(s, "p", { role: "r", policy: iamPolicy("s3:GetObject", "*") })],
    [(s) => new IamRolePolicy(s, "p", { role: "r", policy: iamPolicy("iam:*", "*") }), (s) => new IamRolePolicy(s, "p", { role: "r", policy: iamPolicy("iam:*", "arn:aws:iam::1:role/x") })],
  ],
  "SM-001": [[(s) => new SecretsmanagerSecret(s, "sec", { name: "x" }), (s) => new SecretsmanagerSecret(s, "sec", { name: "x", kmsKeyId: "arn:k" })]],
  "K8S-001": [[k8s({ resources: { requests: { memory: "1Gi" } } }), k8s({})]],
  "K8S-002": [
    [k8s({ securityContext: { allowPrivilegeEscalation: false } }), k8s({})],
    [k8s({ securityContext: { runAsUser: 0, allowPrivilegeEscalation: false } }, "apps", "CronJob"), k8s({}, "apps", "CronJob")],
  ],
  "K8S-003": [[k8s({ securityContext: { runAsNonRoot: true } }), k8s({})]],
  "K8S-004": [[k8s({ securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: true } }), k8s({})]],
  "K8S-005": [
    [k8s({ image: "nginx:latest" }), k8s({ image: "nginx@sha256:abc" })],
    [k8s({ image: "registry:5000/nginx" }), k8s({ image: "registry:5000/nginx:1.27" })],
  ],
  "K8S-006": [
    [k8s({}, null), k8s({})],
    [(s) => new NamespaceV1(s, "ns", { metadata: { name: "default" } }), (s) => new NamespaceV1(s, "ns", { metadata: { name: "lake" } })],
  ],
  "HELM-001": [[release({}), release({ version: "1.2.3" })]],
  "HELM-002": [[release({ version: "1", wait: false }), release({ version: "1", wait: false, atomic: true })]],
};

describe("policy rules", () => {
  it("has at least 20 rules with unique ids and a case for each", () => {
    const ids = allRules.map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(20);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(cases).sort()).toEqual([...ids].sort());
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
    const r = toPolicyResource(new DbInstance(stack, "db", goodDb));
    expect(r.type).toBe("aws_db_instance");
    expect(r.address).toBe("aws_db_instance.db");
    expect(r.attrs.storage_encrypted).toBe(true);
    expect(r.attrs["//"]).toBeUndefined();
  });

  it("is an error in production (synthesis fails) and a warning in development", () => {
    const meta = (stack: TerraformStack) => stack.node.findAll().flatMap((c) => c.node.metadata);
    const prod = evaluate(db({ deletionProtection: false }), "production");
    expect(meta(prod.stack).filter((m) => m.type === "@cdktf/error").map((m) => m.data)).toContain(
      "[RDS-004] aws_db_instance.db: set deletion_protection = true — deletion_protection is false",
    );
    expect(() => Testing.fullSynth(prod.stack)).toThrow(/RDS-004/);

    const dev = evaluate(db({ deletionProtection: false }), "development");
    expect(ruleStatus(dev.report.results.find((x) => x.rule.id === "RDS-004")!)).toBe("warn");
    expect(meta(dev.stack).some((m) => m.type === "@cdktf/error")).toBe(false);
    expect(meta(dev.stack).some((m) => m.type === "@cdktf/warn" && String(m.data).startsWith("[RDS-004]"))).toBe(true);
    expect(() => Testing.fullSynth(dev.stack)).not.toThrow();
  });

  it("uses the tier: protected-tier rules only warn in staging", () => {
    expect(statusOf("RDS-003", db({ multiAz: false }), "staging")).toBe("warn");
    expect(statusOf("RDS-003", db({ multiAz: false }), "standby")).toBe("fail");
  });

  it("reports every violation together", () => {
    const { report } = evaluate(db({ storageEncrypted: false, publiclyAccessible: true, copyTagsToSnapshot: false }));
    expect(report.results.filter((x) => ruleStatus(x) === "fail").map((x) => x.rule.id)).toEqual(["RDS-001", "RDS-002", "RDS-011"]);
  });

  it("a waiver turns an error into waived, with its reason", () => {
    const reason = "restored from an unencrypted snapshot; migration planned";
    const { stack, report } = evaluate(db({ storageEncrypted: false }), "production", [{ rule: "RDS-001", address: "aws_db_instance.db", reason }]);
    const r = report.results.find((x) => x.rule.id === "RDS-001")!;
    expect(ruleStatus(r)).toBe("waived");
    expect(r.violations[0]!.waiver).toBe(reason);
    const meta = stack.node.findAll().flatMap((c) => c.node.metadata);
    expect(meta.some((m) => m.type === "@cdktf/error")).toBe(false);
    expect(meta.find((m) => m.type === "@cdktf/info")?.data).toContain(`(waived: ${reason})`);
    expect(() => Testing.fullSynth(stack)).not.toThrow();
  });
});

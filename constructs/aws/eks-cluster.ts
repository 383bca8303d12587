import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as AwsEksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Construct } from "constructs";
import { partitionOf, serviceTrust } from "../../lib/aws";
import { stateful } from "../../lib/protect";
import { PodIdentityRole } from "./pod-identity-role";

export interface EksNodeGroupSpec {
  readonly instanceTypes: readonly string[];
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly diskGiB: number;
  readonly labels?: Record<string, string>;
}

/** The five core add-ons, each pinned to a build for the cluster's Kubernetes version. */
export interface EksAddonVersions {
  readonly "vpc-cni": string;
  readonly coredns: string;
  readonly "kube-proxy": string;
  readonly "eks-pod-identity-agent": string;
  readonly "aws-ebs-csi-driver": string;
}

export interface EksClusterProps {
  readonly name: string;
  readonly version: string;
  readonly region: string;
  readonly subnetIds: string[];
  readonly secretsKmsKeyArn: string;
  readonly logsKmsKeyArn: string;
  readonly logRetentionDays: number;
  /** Role granted cluster admin through an access entry. */
  readonly adminRoleArn: string;
  /** Further roles with an access entry and one EKS access policy on the whole cluster (CI's
   *  plan role views, its apply role administers), by construct id.
   *  @default none: only the admin role has an access entry */
  readonly accessEntries?: Readonly<
    Record<
      string,
      { readonly principalArn: string; readonly policy: "AmazonEKSAdminViewPolicy" | "AmazonEKSClusterAdminPolicy" }
    >
  >;
  /** Empty keeps the API endpoint private. @default none: the API endpoint is private */
  readonly publicAccessCidrs?: readonly string[];
  readonly nodeGroups: Record<string, EksNodeGroupSpec>;
  readonly addonVersions: EksAddonVersions;
  /** IMDS hop limit for nodes: 1 keeps pods off the node's instance role. @default 1 */
  readonly imdsHopLimit?: 1 | 2;
  readonly deletionProtection: boolean;
  readonly preventDestroy: boolean;
}

export const controlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** EKS with encrypted secrets, all control-plane logs, access entries, managed node groups on
 *  hardened launch templates and the core add-ons. */
export class EksCluster extends Construct {
  readonly cluster: AwsEksCluster;
  readonly nodeRole: IamRole;
  readonly name: string;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    this.name = props.name;
    const partition = partitionOf(props.region);
    const managed = (policy: string) => `arn:${partition}:iam::aws:policy/${policy}`;
    const publicCidrs = [...(props.publicAccessCidrs ?? [])];

    // Created before the cluster so that EKS writes into an encrypted group with a retention.
    const logGroup = stateful(
      new CloudwatchLogGroup(this, "logs", {
        name: `/aws/eks/${props.name}/cluster`,
        retentionInDays: props.logRetentionDays,
        kmsKeyId: props.logsKmsKeyArn,
      }),
      "log_eks_cluster",
      props.preventDestroy,
    );

    const clusterRole = new IamRole(this, "cluster-role", {
      name: `${props.name}-eks-cluster`,
      assumeRolePolicy: serviceTrust("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]),
    });
    const clusterPolicy = new IamRolePolicyAttachment(this, "cluster-policy", {
      role: clusterRole.name,
      policyArn: managed("AmazonEKSClusterPolicy"),
    });

    this.cluster = stateful(
      new AwsEksCluster(this, "cluster", {
        name: props.name,
        version: props.version,
        roleArn: clusterRole.arn,
        vpcConfig: {
          subnetIds: props.subnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: publicCidrs.length > 0,
          publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
        },
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.secretsKmsKeyArn } },
        enabledClusterLogTypes: controlPlaneLogTypes,
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        // Core add-ons are managed below; self-managed copies would fight them.
        bootstrapSelfManagedAddons: false,
        upgradePolicy: { supportType: "STANDARD" },
        deletionProtection: props.deletionProtection,
        dependsOn: [logGroup, clusterPolicy],
      }),
      "eks",
      props.preventDestroy,
    );

    const admin = new EksAccessEntry(this, "admin", {
      clusterName: this.cluster.name,
      principalArn: props.adminRoleArn,
      type: "STANDARD",
    });
    new EksAccessPolicyAssociation(this, "admin-policy", {
      clusterName: this.cluster.name,
      principalArn: admin.principalArn,
      policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      accessScope: { type: "cluster" },
    });

    for (const [key, entry] of Object.entries(props.accessEntries ?? {})) {
      const accessEntry = new EksAccessEntry(this, `access-${key}`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        type: "STANDARD",
      });
      new EksAccessPolicyAssociation(this, `access-${key}-policy`, {
        clusterName: this.cluster.name,
        principalArn: accessEntry.principalArn,
        policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${entry.policy}`,
        accessScope: { type: "cluster" },
      });
    }

    this.nodeRole = new IamRole(this, "node-role", {
      name: `${props.name}-eks-node`,
      assumeRolePolicy: serviceTrust("ec2.amazonaws.com"),
    });
    const nodePolicies = [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEC2ContainerRegistryPullOnly",
      "AmazonSSMManagedInstanceCore",
    ].map(
      (policy) =>
        new IamRolePolicyAttachment(this, `node-${policy}`, { role: this.nodeRole.name, policyArn: managed(policy) }),
    );

    // Networking add-ons come before nodes (a node is NotReady without a CNI); the rest need nodes.
    const addon = (name: keyof EksAddonVersions, extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {}) =>
      new EksAddon(this, `addon-${name}`, {
        clusterName: this.cluster.name,
        addonName: name,
        addonVersion: props.addonVersions[name],
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        ...extra,
      });
    const cniRole = new PodIdentityRole(this, "vpc-cni-role", {
      clusterName: props.name,
      roleName: `${props.name}-vpc-cni`,
      namespace: "kube-system",
      serviceAccount: "aws-node",
      managedPolicyArns: [managed("AmazonEKS_CNI_Policy")],
      associate: false,
    });
    const before = [
      addon("vpc-cni", {
        // Enforce Kubernetes NetworkPolicy in the CNI itself.
        configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
        podIdentityAssociation: [{ roleArn: cniRole.role.arn, serviceAccount: "aws-node" }],
      }),
      addon("kube-proxy"),
      addon("eks-pod-identity-agent"),
    ];

    const groups = Object.entries(props.nodeGroups).map(([name, group]) => {
      const lt = new LaunchTemplate(this, `${name}-lt`, {
        namePrefix: `${props.name}-${name}-`,
        updateDefaultVersion: true,
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: props.imdsHopLimit ?? 1,
        },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: { volumeSize: group.diskGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
          },
        ],
        tagSpecifications: [{ resourceType: "instance", tags: { Name: `${props.name}-${name}` } }],
      });
      const ng = new EksNodeGroup(this, `${name}-nodes`, {
        clusterName: this.cluster.name,
        nodeGroupName: name,
        nodeRoleArn: this.nodeRole.arn,
        subnetIds: props.subnetIds,
        amiType: "AL2023_x86_64_STANDARD",
        capacityType: group.capacityType,
        instanceTypes: [...group.instanceTypes],
        scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
        updateConfig: { maxUnavailablePercentage: 33 },
        launchTemplate: { id: lt.id, version: lt.latestVersion.toString() },
        labels: { "node-group": name, ...group.labels },
        dependsOn: [...nodePolicies, ...before],
      });
      // Terraform owns the size: Karpenter adds its own nodes outside these groups, and nothing else
      // resizes them, so a change of sizes (a failover to prod's) applies in one plan.
      return ng;
    });

    const ebsRole = new PodIdentityRole(this, "ebs-csi-role", {
      clusterName: props.name,
      roleName: `${props.name}-ebs-csi`,
      namespace: "kube-system",
      serviceAccount: "ebs-csi-controller-sa",
      managedPolicyArns: [managed("service-role/AmazonEBSCSIDriverPolicy")],
      associate: false,
    });
    addon("coredns", { dependsOn: groups });
    addon("aws-ebs-csi-driver", {
      dependsOn: groups,
      podIdentityAssociation: [{ roleArn: ebsRole.role.arn, serviceAccount: "ebs-csi-controller-sa" }],
    });
  }
}

import { describe, expect, it } from "vitest";
import { EksCluster, controlPlaneLogTypes, type EksClusterProps } from "../../constructs/aws/eks-cluster";
import { one, resourceMap, resources, synthConstruct } from "../helpers";

const addonVersions = {
  "vpc-cni": "v1.20.0-eksbuild.1",
  coredns: "v1.12.1-eksbuild.2",
  "kube-proxy": "v1.33.0-eksbuild.2",
  "eks-pod-identity-agent": "v1.3.7-eksbuild.2",
  "aws-ebs-csi-driver": "v1.45.0-eksbuild.2",
};
const base: EksClusterProps = {
  name: "test-eks",
  version: "1.33",
  region: "eu-west-1",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  secretsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/eks",
  logsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/logs",
  logRetentionDays: 90,
  adminRoleArn: "arn:aws:iam::111111111111:role/platform-admin",
  nodeGroups: {
    system: {
      instanceTypes: ["m7i.large"],
      capacityType: "ON_DEMAND",
      minSize: 2,
      desiredSize: 3,
      maxSize: 4,
      diskGiB: 50,
      labels: { tier: "system" },
    },
    spot: {
      instanceTypes: ["m7i.xlarge", "m6i.xlarge"],
      capacityType: "SPOT",
      minSize: 0,
      desiredSize: 1,
      maxSize: 10,
      diskGiB: 100,
    },
  },
  addonVersions,
  deletionProtection: true,
  preventDestroy: true,
};
const synth = (props: Partial<EksClusterProps> = {}) =>
  synthConstruct((scope) => new EksCluster(scope, "eks", { ...base, ...props }));
const ref = (type: string, key: string, attr = "id") => `\${${type}.${key}.${attr}}`;

describe("EksCluster", () => {
  const stack = synth();
  const cluster = resourceMap(stack, "aws_eks_cluster")["eks"]!;

  it("pins the cluster at address eks", () => {
    expect(Object.keys(resourceMap(stack, "aws_eks_cluster"))).toEqual(["eks"]);
    expect(cluster.name).toBe("test-eks");
    expect(cluster.version).toBe("1.33");
  });

  it("encrypts Kubernetes secrets with the given key", () => {
    expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: base.secretsKmsKeyArn } });
  });

  it("enables all five control-plane log types into an encrypted log group created first", () => {
    expect([...cluster.enabled_cluster_log_types].sort()).toEqual([
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
    expect(controlPlaneLogTypes).toHaveLength(5);
    const group = resourceMap(stack, "aws_cloudwatch_log_group")["log_eks_cluster"]!;
    expect(group.name).toBe("/aws/eks/test-eks/cluster");
    expect(group.kms_key_id).toBe(base.logsKmsKeyArn);
    expect(group.retention_in_days).toBe(90);
    expect(cluster.depends_on).toContain("aws_cloudwatch_log_group.log_eks_cluster");
  });

  it("keeps the API endpoint private when no public CIDRs are given", () => {
    expect(cluster.vpc_config.endpoint_private_access).toBe(true);
    expect(cluster.vpc_config.endpoint_public_access).toBe(false);
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.vpc_config.subnet_ids).toEqual(base.subnetIds);
  });

  it("keeps the endpoint private for an explicitly empty CIDR list", () => {
    const privateCluster = resourceMap(synth({ publicAccessCidrs: [] }), "aws_eks_cluster")["eks"]!;
    expect(privateCluster.vpc_config.endpoint_public_access).toBe(false);
    expect(privateCluster.vpc_config.public_access_cidrs).toBeUndefined();
  });

  it("opens the public endpoint only to the given CIDRs", () => {
    const publicCluster = resourceMap(
      synth({ publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"] }),
      "aws_eks_cluster",
    )["eks"]!;
    expect(publicCluster.vpc_config.endpoint_public_access).toBe(true);
    expect(publicCluster.vpc_config.endpoint_private_access).toBe(true);
    expect(publicCluster.vpc_config.public_access_cidrs).toEqual(["203.0.113.0/24", "198.51.100.7/32"]);
  });

  it("uses API authentication without creator admin or self-managed add-ons", () => {
    expect(cluster.access_config).toEqual({
      authentication_mode: "API",
      bootstrap_cluster_creator_admin_permissions: false,
    });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
  });

  it("grants the admin role cluster admin through an access entry", () => {
    const entry = one(stack, "aws_eks_access_entry");
    expect(entry.principal_arn).toBe(base.adminRoleArn);
    expect(entry.type).toBe("STANDARD");
    expect(entry.cluster_name).toBe(ref("aws_eks_cluster", "eks", "name"));
    const assoc = one(stack, "aws_eks_access_policy_association");
    expect(assoc.policy_arn).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
    expect(assoc.access_scope).toEqual({ type: "cluster" });
    const entryKey = Object.keys(resourceMap(stack, "aws_eks_access_entry"))[0]!;
    expect(assoc.principal_arn).toBe(ref("aws_eks_access_entry", entryKey, "principal_arn"));
  });

  it("hardens launch templates: IMDSv2 required, hop limit 1, encrypted gp3 root volume", () => {
    const lts = resourceMap(stack, "aws_launch_template");
    expect(Object.keys(lts)).toHaveLength(2);
    for (const [key, lt] of Object.entries(lts)) {
      expect(lt.metadata_options).toEqual({
        http_endpoint: "enabled",
        http_tokens: "required",
        http_put_response_hop_limit: 1,
      });
      expect(lt.block_device_mappings).toHaveLength(1);
      const ebs = lt.block_device_mappings[0].ebs;
      expect(ebs.volume_type).toBe("gp3");
      expect(String(ebs.encrypted)).toBe("true");
      expect(ebs.volume_size).toBe(key.startsWith("eks_system-") ? 50 : 100);
    }
  });

  it("uses the given IMDS hop limit", () => {
    for (const lt of resources(synth({ imdsHopLimit: 2 }), "aws_launch_template")) {
      expect(lt.metadata_options.http_put_response_hop_limit).toBe(2);
      expect(lt.metadata_options.http_tokens).toBe("required");
    }
  });

  it("runs node groups on their launch template in the given subnets with the given sizes", () => {
    const groups = resources(stack, "aws_eks_node_group");
    expect(groups).toHaveLength(2);
    const lts = resourceMap(stack, "aws_launch_template");
    for (const group of groups) {
      const spec = base.nodeGroups[group.node_group_name]!;
      expect(spec).toBeDefined();
      expect(group.subnet_ids).toEqual(base.subnetIds);
      expect(group.capacity_type).toBe(spec.capacityType);
      expect(group.instance_types).toEqual(spec.instanceTypes);
      expect(group.scaling_config).toEqual({
        min_size: spec.minSize,
        desired_size: spec.desiredSize,
        max_size: spec.maxSize,
      });
      const ltKey = Object.keys(lts).find((k) => k.startsWith(`eks_${group.node_group_name}-lt`))!;
      expect(group.launch_template).toEqual({
        id: ref("aws_launch_template", ltKey),
        version: ref("aws_launch_template", ltKey, "latest_version"),
      });
      expect(group.labels["node-group"]).toBe(group.node_group_name);
      // Terraform owns every size (a failover resizes in one plan).
      expect(group.lifecycle?.ignore_changes).toBeUndefined();
    }
    expect(groups.find((group) => group.node_group_name === "system")!.labels.tier).toBe("system");
  });

  it("installs the five core add-ons pinned to the given versions", () => {
    const addons = resources(stack, "aws_eks_addon");
    expect(addons).toHaveLength(5);
    const byName = Object.fromEntries(addons.map((addon) => [addon.addon_name, addon]));
    for (const [name, version] of Object.entries(addonVersions)) {
      expect(byName[name], name).toBeDefined();
      expect(byName[name]!.addon_version).toBe(version);
      expect(byName[name]!.cluster_name).toBe(ref("aws_eks_cluster", "eks", "name"));
    }
  });

  it("enables NetworkPolicy enforcement in the VPC CNI", () => {
    const cni = resources(stack, "aws_eks_addon").find((addon) => addon.addon_name === "vpc-cni")!;
    expect(JSON.parse(cni.configuration_values)).toMatchObject({ enableNetworkPolicy: "true" });
    expect(cni.pod_identity_association).toEqual([
      { role_arn: expect.stringMatching(/^\$\{aws_iam_role\.eks_vpc-cni-role/), service_account: "aws-node" },
    ]);
  });

  it("installs coredns and the EBS CSI driver after the node groups, networking add-ons before them", () => {
    const nodeGroupRefs = Object.keys(resourceMap(stack, "aws_eks_node_group")).map((k) => `aws_eks_node_group.${k}`);
    const addons = resources(stack, "aws_eks_addon");
    for (const name of ["coredns", "aws-ebs-csi-driver"]) {
      const addon = addons.find((candidate) => candidate.addon_name === name)!;
      expect([...addon.depends_on].sort()).toEqual([...nodeGroupRefs].sort());
    }
    const addonKeys = resourceMap(stack, "aws_eks_addon");
    for (const group of resources(stack, "aws_eks_node_group")) {
      for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) {
        const key = Object.keys(addonKeys).find((k) => addonKeys[k]!.addon_name === name)!;
        expect(group.depends_on).toContain(`aws_eks_addon.${key}`);
      }
    }
  });

  it("does not create pod identity associations for add-on roles (the add-on does)", () => {
    expect(resources(stack, "aws_eks_pod_identity_association")).toEqual([]);
  });

  it("follows deletionProtection and preventDestroy", () => {
    expect(cluster.deletion_protection).toBe(true);
    expect(cluster.lifecycle?.prevent_destroy).toBe(true);
    expect(resourceMap(stack, "aws_cloudwatch_log_group")["log_eks_cluster"]!.lifecycle?.prevent_destroy).toBe(true);

    const off = synth({ deletionProtection: false, preventDestroy: false });
    const unprotectedCluster = resourceMap(off, "aws_eks_cluster")["eks"]!;
    expect(unprotectedCluster.deletion_protection).toBe(false);
    expect(unprotectedCluster.lifecycle?.prevent_destroy).toBeUndefined();
    expect(resourceMap(off, "aws_cloudwatch_log_group")["log_eks_cluster"]!.lifecycle?.prevent_destroy).toBeUndefined();
  });

  it("trusts the right services in the cluster and node roles", () => {
    const roles = resourceMap(stack, "aws_iam_role");
    const principal = (prefix: string) =>
      JSON.parse(Object.entries(roles).find(([k]) => k.startsWith(prefix))![1].assume_role_policy).Statement[0]
        .Principal;
    expect(principal("eks_cluster-role")).toEqual({ Service: "eks.amazonaws.com" });
    expect(principal("eks_node-role")).toEqual({ Service: "ec2.amazonaws.com" });
    expect(principal("eks_vpc-cni-role")).toEqual({ Service: "pods.eks.amazonaws.com" });
    expect(principal("eks_ebs-csi-role")).toEqual({ Service: "pods.eks.amazonaws.com" });
  });
});

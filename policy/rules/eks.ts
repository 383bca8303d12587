// EKS control plane, node groups and their launch templates, add-ons (CIS EKS benchmark).
import { protectedTiers } from "../../config/schema";
import { supportedEksVersions } from "../../config/versions";
import { allTiers, asArray, block, blocks, isFalse, isTrue, isUnresolved, parseJson, type PolicyRule } from "../rule";

export const controlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export const eksRules: PolicyRule[] = [
  {
    id: "EKS-001",
    title: "Secrets envelope-encrypted",
    message: 'add encryption_config with resources ["secrets"] and a customer KMS key',
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_eks_cluster"],
    check: ({ attrs }) => {
      const ok = blocks(attrs.encryption_config).some(
        (encryptionConfig) =>
          asArray(encryptionConfig.resources).includes("secrets") && block(encryptionConfig.provider)?.key_arn,
      );
      return ok ? undefined : "no encryption_config for secrets";
    },
  },
  {
    id: "EKS-002",
    title: "All control-plane logs",
    message: `set enabled_cluster_log_types to ${controlPlaneLogTypes.join(", ")}`,
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_eks_cluster"],
    check: ({ attrs }) => {
      const have = asArray(attrs.enabled_cluster_log_types);
      const missing = controlPlaneLogTypes.filter((logType) => !have.includes(logType));
      return missing.length ? `missing ${missing.join(", ")}` : undefined;
    },
  },
  {
    id: "EKS-003",
    title: "API endpoint not open to the world",
    message: "set vpc_config.endpoint_public_access = false, or list public_access_cidrs without 0.0.0.0/0",
    fix: { config: ["cluster.publicAccessCidrs"] },
    errorTiers: allTiers,
    resourceTypes: ["aws_eks_cluster"],
    check: ({ attrs }) => {
      const vpc = block(attrs.vpc_config) ?? {};
      if (isFalse(vpc.endpoint_public_access)) return undefined;
      const cidrs = asArray<string>(vpc.public_access_cidrs);
      if (cidrs.length === 0) return "public endpoint open to 0.0.0.0/0 (public_access_cidrs unset)";
      return cidrs.includes("0.0.0.0/0") ? "public_access_cidrs includes 0.0.0.0/0" : undefined;
    },
  },
  {
    id: "EKS-004",
    title: "IMDSv2 required on nodes",
    message: 'set metadata_options.http_tokens = "required"',
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_launch_template"],
    check: ({ attrs }) => {
      const httpTokens = block(attrs.metadata_options)?.http_tokens;
      return httpTokens === "required" ? undefined : `http_tokens is ${httpTokens ?? "unset"}`;
    },
  },
  {
    id: "EKS-005",
    title: "IMDS hop limit at most 2",
    message: "set metadata_options.http_put_response_hop_limit to 1 or 2",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_launch_template"],
    check: ({ attrs }) => {
      const hopLimit = block(attrs.metadata_options)?.http_put_response_hop_limit;
      return typeof hopLimit === "number" && hopLimit >= 1 && hopLimit <= 2
        ? undefined
        : `http_put_response_hop_limit is ${hopLimit ?? "unset"}`;
    },
  },
  {
    id: "EKS-006",
    title: "Node volumes encrypted",
    message:
      "set encrypted = true on every block_device_mappings ebs block (and at least one mapping for the root volume)",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_launch_template"],
    check: ({ attrs }) => {
      const maps = blocks(attrs.block_device_mappings);
      if (maps.length === 0) return "no block_device_mappings: the root volume's encryption is left to the AMI";
      const plain = maps
        .filter((mapping) => !isTrue(block(mapping.ebs)?.encrypted))
        .map((mapping) => mapping.device_name ?? "?");
      return plain.length ? `unencrypted: ${plain.join(", ")}` : undefined;
    },
  },
  {
    id: "EKS-007",
    title: "Supported Kubernetes version",
    message: `set version to one of ${supportedEksVersions.join(", ")} (config/versions.ts)`,
    fix: { config: ["cluster.version"], code: ["config/versions.ts"] },
    errorTiers: allTiers,
    resourceTypes: ["aws_eks_cluster"],
    check: ({ attrs }) =>
      (supportedEksVersions as readonly string[]).includes(attrs.version)
        ? undefined
        : `version is ${attrs.version ?? "unset (EKS's default)"}`,
  },
  {
    id: "EKS-008",
    title: "Access entries, no implicit creator admin",
    message:
      'set access_config.authentication_mode to "API" (or "API_AND_CONFIG_MAP") and bootstrap_cluster_creator_admin_permissions = false',
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_eks_cluster"],
    check: ({ attrs }) => {
      const ac = block(attrs.access_config) ?? {};
      const problems = [
        ["API", "API_AND_CONFIG_MAP"].includes(ac.authentication_mode)
          ? ""
          : `authentication_mode is ${ac.authentication_mode ?? "unset (CONFIG_MAP)"}`,
        isFalse(ac.bootstrap_cluster_creator_admin_permissions)
          ? ""
          : "the creator gets cluster admin (bootstrap_cluster_creator_admin_permissions not false)",
      ].filter(Boolean);
      return problems.length ? problems.join("; ") : undefined;
    },
  },
  {
    id: "EKS-009",
    title: "Node groups on a launch template",
    message: "set launch_template on the node group, so IMDSv2 and volume encryption (EKS-004..006) apply to its nodes",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_eks_node_group"],
    check: ({ attrs }) => {
      const lt = block(attrs.launch_template);
      return lt?.id || lt?.name ? undefined : "no launch_template: nodes take EKS's defaults";
    },
  },
  {
    id: "EKS-010",
    title: "VPC CNI enforces network policies",
    message: 'set configuration_values of the vpc-cni add-on to {"enableNetworkPolicy": "true"}',
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_eks_addon"],
    check: ({ attrs }) => {
      if (attrs.addon_name !== "vpc-cni") return undefined;
      const doc = parseJson(attrs.configuration_values);
      if (!doc && isUnresolved(attrs.configuration_values)) return undefined; // computed: cannot tell
      const enableNetworkPolicy = doc?.enableNetworkPolicy;
      // Without it every NetworkPolicy, default-deny included, is silently ignored.
      return isTrue(enableNetworkPolicy) ? undefined : `enableNetworkPolicy is ${enableNetworkPolicy ?? "unset"}`;
    },
  },
  {
    id: "EKS-011",
    title: "Cluster deletion protection",
    message: "set deletion_protection = true",
    fix: { config: ["protection.deletionProtection"] },
    errorTiers: protectedTiers,
    resourceTypes: ["aws_eks_cluster"],
    check: ({ attrs }) =>
      isTrue(attrs.deletion_protection) ? undefined : `deletion_protection is ${attrs.deletion_protection ?? "unset"}`,
  },
];

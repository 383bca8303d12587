// EKS control plane and node launch templates (CIS EKS benchmark).
import { allTiers, asArray, block, blocks, isFalse, isTrue, type PolicyRule } from "../rule";

export const controlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export const eksRules: PolicyRule[] = [
  {
    id: "EKS-001",
    title: "Secrets envelope-encrypted",
    message: 'add encryption_config with resources ["secrets"] and a customer KMS key',
    errorTiers: allTiers,
    resourceTypes: ["aws_eks_cluster"],
    check: ({ attrs }) => {
      const ok = blocks(attrs.encryption_config).some((e) => asArray(e.resources).includes("secrets") && block(e.provider)?.key_arn);
      return ok ? undefined : "no encryption_config for secrets";
    },
  },
  {
    id: "EKS-002",
    title: "All control-plane logs",
    message: `set enabled_cluster_log_types to ${controlPlaneLogTypes.join(", ")}`,
    errorTiers: allTiers,
    resourceTypes: ["aws_eks_cluster"],
    check: ({ attrs }) => {
      const have = asArray(attrs.enabled_cluster_log_types);
      const missing = controlPlaneLogTypes.filter((t) => !have.includes(t));
      return missing.length ? `missing ${missing.join(", ")}` : undefined;
    },
  },
  {
    id: "EKS-003",
    title: "API endpoint not open to the world",
    message: "set vpc_config.endpoint_public_access = false, or list public_access_cidrs without 0.0.0.0/0",
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
    errorTiers: allTiers,
    resourceTypes: ["aws_launch_template"],
    check: ({ attrs }) => {
      const t = block(attrs.metadata_options)?.http_tokens;
      return t === "required" ? undefined : `http_tokens is ${t ?? "unset"}`;
    },
  },
  {
    id: "EKS-005",
    title: "IMDS hop limit at most 2",
    message: "set metadata_options.http_put_response_hop_limit to 1 or 2",
    errorTiers: allTiers,
    resourceTypes: ["aws_launch_template"],
    check: ({ attrs }) => {
      const h = block(attrs.metadata_options)?.http_put_response_hop_limit;
      return typeof h === "number" && h >= 1 && h <= 2 ? undefined : `http_put_response_hop_limit is ${h ?? "unset"}`;
    },
  },
  {
    id: "EKS-006",
    title: "Node volumes encrypted",
    message: "set encrypted = true on every block_device_mappings ebs block (and at least one mapping for the root volume)",
    errorTiers: allTiers,
    resourceTypes: ["aws_launch_template"],
    check: ({ attrs }) => {
      const maps = blocks(attrs.block_device_mappings);
      if (maps.length === 0) return "no block_device_mappings: the root volume's encryption is left to the AMI";
      const plain = maps.filter((m) => !isTrue(block(m.ebs)?.encrypted)).map((m) => m.device_name ?? "?");
      return plain.length ? `unencrypted: ${plain.join(", ")}` : undefined;
    },
  },
];

// Security groups: every group and rule says why it exists; no administration or data port is
// open to the internet (Checkov CKV_AWS_23/24/25/260, Trivy AWS-0107).
import { allTiers, asArray, blocks, type PolicyResource, type PolicyRule } from "../rule";

/** Ports that administer a host or expose a data store: never open to 0.0.0.0/0 or ::/0. */
export const adminPorts: Record<number, string> = {
  22: "SSH",
  23: "Telnet",
  3389: "RDP",
  5900: "VNC",
  5432: "PostgreSQL",
  3306: "MySQL",
  1433: "SQL Server",
  1521: "Oracle",
  6379: "Redis/Valkey",
  27017: "MongoDB",
  6443: "Kubernetes API",
  10250: "kubelet",
  2379: "etcd",
  2380: "etcd peers",
  2181: "ZooKeeper",
  9092: "Kafka",
  9200: "Elasticsearch",
  9300: "Elasticsearch transport",
  5601: "Kibana",
  9047: "Dremio",
};

const worldCidrs = ["0.0.0.0/0", "::/0"];

/** One ingress permission, whichever resource declares it. */
interface Ingress {
  from?: number;
  to?: number;
  protocol: string;
  cidrs: unknown[];
}

function ingressesOf(resource: PolicyResource): Ingress[] {
  const attrs = resource.attrs;
  switch (resource.type) {
    case "aws_security_group":
      return blocks(attrs.ingress).map((i) => ({
        from: i.from_port,
        to: i.to_port,
        protocol: String(i.protocol ?? ""),
        cidrs: [...asArray(i.cidr_blocks), ...asArray(i.ipv6_cidr_blocks)],
      }));
    case "aws_security_group_rule":
      return attrs.type === "ingress"
        ? [
            {
              from: attrs.from_port,
              to: attrs.to_port,
              protocol: String(attrs.protocol ?? ""),
              cidrs: [...asArray(attrs.cidr_blocks), ...asArray(attrs.ipv6_cidr_blocks)],
            },
          ]
        : [];
    case "aws_vpc_security_group_ingress_rule":
      return [
        {
          from: attrs.from_port,
          to: attrs.to_port,
          protocol: String(attrs.ip_protocol ?? ""),
          cidrs: [attrs.cidr_ipv4, attrs.cidr_ipv6],
        },
      ];
    default:
      return [];
  }
}

/** The admin ports an ingress opens: all of them for protocol -1, none for ICMP. */
function openedAdminPorts(i: Ingress): number[] {
  const all = i.protocol === "-1" || i.protocol.toLowerCase() === "all";
  if (!all && !["tcp", "udp", "6", "17"].includes(i.protocol.toLowerCase())) return [];
  const ports = Object.keys(adminPorts).map(Number);
  if (all || (i.from === undefined && i.to === undefined)) return ports;
  const from = Number(i.from ?? i.to);
  const to = Number(i.to ?? i.from);
  return ports.filter((port) => port >= from && port <= to);
}

const described = (description: unknown) =>
  typeof description === "string" && description.trim() !== "" && description !== "Managed by Terraform";

export const securityGroupRules: PolicyRule[] = [
  {
    id: "SG-001",
    title: "Security groups and rules described",
    message: "set description on the security group and on each of its rules (what is allowed and why)",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: [
      "aws_security_group",
      "aws_security_group_rule",
      "aws_vpc_security_group_ingress_rule",
      "aws_vpc_security_group_egress_rule",
    ],
    check: ({ type, attrs }) => {
      const missing = described(attrs.description) ? [] : [type === "aws_security_group" ? "the group" : "the rule"];
      if (type === "aws_security_group") {
        const inline = [
          ...blocks(attrs.ingress).map((rule) => ["ingress", rule] as const),
          ...blocks(attrs.egress).map((rule) => ["egress", rule] as const),
        ];
        inline.forEach(([dir, rule], index) => {
          if (!described(rule.description)) missing.push(`${dir} rule ${index + 1}`);
        });
      }
      return missing.length ? `no description on ${missing.join(", ")}` : undefined;
    },
  },
  {
    id: "SG-002",
    title: "No administration or data ports open to the internet",
    message: `allow ${Object.values(adminPorts).slice(0, 5).join(", ")}, etc. only from known CIDRs or security groups, never 0.0.0.0/0 or ::/0`,
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"],
    check: (resource) => {
      const open = ingressesOf(resource)
        .filter((i) => i.cidrs.some((cidr) => worldCidrs.includes(String(cidr))))
        .flatMap(openedAdminPorts);
      const ports = [...new Set(open)].sort((left, right) => left - right);
      return ports.length
        ? `open to the internet: ${ports.map((port) => `${port} (${adminPorts[port]})`).join(", ")}`
        : undefined;
    },
  },
];

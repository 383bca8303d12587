import { describe, expect, it } from "vitest";
import { Network, type NetworkProps } from "../../constructs/aws/network";
import { availabilityZones } from "../../lib/aws";
import { cidrsOverlap, parseCidr } from "../../lib/ipv4";
import { one, resourceMap, resources, synthConstruct, type Synthesized } from "../helpers";

const base: NetworkProps = {
  name: "test",
  cidr: "10.20.0.0/16",
  region: "eu-west-1",
  availabilityZones: availabilityZones("eu-west-1", 3),
  natGateways: "per-az",
  flowLogRetentionDays: 90,
  logsKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/logs",
  clusterName: "test-eks",
  preventDestroy: true,
};
const synth = (props: Partial<NetworkProps> = {}) =>
  synthConstruct((scope) => new Network(scope, "net", { ...base, ...props }));

const inside = (inner: string, outer: string) => {
  const i = parseCidr(inner);
  const enclosing = parseCidr(outer);
  return (
    i.prefix >= enclosing.prefix &&
    i.base >= enclosing.base &&
    i.base + 2 ** (32 - i.prefix) <= enclosing.base + 2 ** (32 - enclosing.prefix)
  );
};
const subnetsOfKind = (synthesized: Synthesized, kind: string) =>
  Object.entries(resourceMap(synthesized, "aws_subnet"))
    .filter(([k]) => k.startsWith(`net_${kind}-`))
    .map(([, subnet]) => subnet);
const routeTableKey = (synthesized: Synthesized, prefix: string) => {
  const key = Object.keys(resourceMap(synthesized, "aws_route_table")).find((k) => k.startsWith(prefix));
  if (!key) throw new Error(`no route table ${prefix}`);
  return key;
};

describe("Network", () => {
  const synthesized = synth();

  it("creates public, private and database subnets in every AZ (3 x AZ count)", () => {
    const subnets = resources(synthesized, "aws_subnet");
    expect(subnets).toHaveLength(9);
    for (const kind of ["public", "private", "database"]) {
      expect(
        subnetsOfKind(synthesized, kind)
          .map((subnet) => subnet.availability_zone)
          .sort(),
      ).toEqual([...base.availabilityZones].sort());
    }
  });

  it.each([1, 2, 3, 6])("lays out non-overlapping subnets inside the VPC CIDR with %i AZs", (count) => {
    const cidr = "10.64.0.0/16";
    const out = synth({ cidr, availabilityZones: availabilityZones("eu-west-1", count) });
    const blocks = resources(out, "aws_subnet").map((subnet) => subnet.cidr_block as string);
    expect(blocks).toHaveLength(3 * count);
    for (const block of blocks) expect(inside(block, cidr)).toBe(true);
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++)
        expect(cidrsOverlap(blocks[i]!, blocks[j]!), `${blocks[i]} vs ${blocks[j]}`).toBe(false);
    }
  });

  it("gives private subnets /19s and public/database subnets /22s of a /16", () => {
    for (const subnet of subnetsOfKind(synthesized, "private")) expect(parseCidr(subnet.cidr_block).prefix).toBe(19);
    for (const subnet of [...subnetsOfKind(synthesized, "public"), ...subnetsOfKind(synthesized, "database")])
      expect(parseCidr(subnet.cidr_block).prefix).toBe(22);
  });

  it("creates the VPC at the pinned address with DNS support", () => {
    const vpc = resourceMap(synthesized, "aws_vpc")["vpc"];
    expect(vpc).toBeDefined();
    expect(vpc!.cidr_block).toBe("10.20.0.0/16");
    expect(vpc!.enable_dns_hostnames).toBe(true);
    expect(vpc!.enable_dns_support).toBe(true);
  });

  it("never maps public IPs on launch, even in public subnets", () => {
    for (const subnet of resources(synthesized, "aws_subnet"))
      expect(subnet.map_public_ip_on_launch ?? false).toBe(false);
    for (const subnet of subnetsOfKind(synthesized, "public")) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  it("creates one NAT gateway per AZ with per-az, each private route table using its own", () => {
    const nats = resourceMap(synthesized, "aws_nat_gateway");
    expect(Object.keys(nats)).toHaveLength(3);
    expect(resources(synthesized, "aws_eip")).toHaveLength(3);
    const natIds = Object.keys(nats).map((k) => `\${aws_nat_gateway.${k}.id}`);
    const privateDefaults = resources(synthesized, "aws_route").filter((route) => route.nat_gateway_id !== undefined);
    expect(privateDefaults).toHaveLength(3);
    expect(new Set(privateDefaults.map((route) => route.nat_gateway_id))).toEqual(new Set(natIds));
  });

  it("creates a single shared NAT gateway with natGateways=single", () => {
    const single = synth({ natGateways: "single" });
    const nats = resourceMap(single, "aws_nat_gateway");
    expect(Object.keys(nats)).toHaveLength(1);
    expect(resources(single, "aws_eip")).toHaveLength(1);
    const natId = `\${aws_nat_gateway.${Object.keys(nats)[0]}.id}`;
    const privateDefaults = resources(single, "aws_route").filter((route) => route.nat_gateway_id !== undefined);
    expect(privateDefaults).toHaveLength(3);
    for (const route of privateDefaults) expect(route.nat_gateway_id).toBe(natId);
  });

  it("places NAT gateways in public subnets", () => {
    const publicIds = Object.keys(resourceMap(synthesized, "aws_subnet"))
      .filter((k) => k.startsWith("net_public-"))
      .map((k) => `\${aws_subnet.${k}.id}`);
    for (const nat of resources(synthesized, "aws_nat_gateway")) expect(publicIds).toContain(nat.subnet_id);
  });

  it("closes the default security group (empty ingress and egress)", () => {
    const sg = one(synthesized, "aws_default_security_group");
    expect(sg.ingress).toEqual([]);
    expect(sg.egress).toEqual([]);
  });

  it("attaches an S3 gateway endpoint to the private and database route tables only", () => {
    const ep = one(synthesized, "aws_vpc_endpoint");
    expect(ep.vpc_endpoint_type).toBe("Gateway");
    expect(ep.service_name).toBe("com.amazonaws.eu-west-1.s3");
    const expected = Object.keys(resourceMap(synthesized, "aws_route_table"))
      .filter((k) => k.startsWith("net_private-") || k.startsWith("net_database-"))
      .map((k) => `\${aws_route_table.${k}.id}`);
    expect(expected).toHaveLength(4);
    expect([...ep.route_table_ids].sort()).toEqual(expected.sort());
    expect(ep.route_table_ids).not.toContain(`\${aws_route_table.${routeTableKey(synthesized, "net_public-rt")}.id}`);
  });

  it("gives the database route table no route to the internet", () => {
    const dbRt = `\${aws_route_table.${routeTableKey(synthesized, "net_database-rt")}.id}`;
    expect(resources(synthesized, "aws_route").filter((route) => route.route_table_id === dbRt)).toEqual([]);
    const dbRtJson = JSON.stringify(
      resourceMap(synthesized, "aws_route_table")[routeTableKey(synthesized, "net_database-rt")],
    );
    expect(dbRtJson).not.toContain("0.0.0.0/0");
    // Every database subnet is associated with that table.
    const assocs = Object.entries(resourceMap(synthesized, "aws_route_table_association")).filter(([k]) =>
      k.startsWith("net_database-"),
    );
    expect(assocs).toHaveLength(3);
    for (const [, association] of assocs) expect(association.route_table_id).toBe(dbRt);
  });

  it("routes the public route table to the internet gateway", () => {
    const pubRt = `\${aws_route_table.${routeTableKey(synthesized, "net_public-rt")}.id}`;
    const routes = resources(synthesized, "aws_route").filter((route) => route.route_table_id === pubRt);
    expect(routes).toHaveLength(1);
    expect(routes[0]!.destination_cidr_block).toBe("0.0.0.0/0");
    expect(routes[0]!.gateway_id).toMatch(/^\$\{aws_internet_gateway\./);
  });

  it("logs ALL VPC traffic to a KMS-encrypted log group with retention", () => {
    const flow = one(synthesized, "aws_flow_log");
    expect(flow.traffic_type).toBe("ALL");
    expect(flow.log_destination_type).toBe("cloud-watch-logs");
    expect(flow.log_destination).toBe("${aws_cloudwatch_log_group.log_vpc_flow.arn}");
    expect(flow.vpc_id).toBe("${aws_vpc.vpc.id}");
    const group = resourceMap(synthesized, "aws_cloudwatch_log_group")["log_vpc_flow"]!;
    expect(group.kms_key_id).toBe(base.logsKmsKeyArn);
    expect(group.retention_in_days).toBe(90);
    expect(group.lifecycle?.prevent_destroy).toBe(true);
  });

  it("scopes the flow-log role's policy to its log group", () => {
    const role = one(synthesized, "aws_iam_role");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({
      Service: "vpc-flow-logs.amazonaws.com",
    });
    const policy = JSON.parse(one(synthesized, "aws_iam_role_policy").policy);
    for (const st of policy.Statement) {
      expect(st.Resource).not.toContain("*");
      for (const arn of st.Resource as string[]) expect(arn).toContain("aws_cloudwatch_log_group.log_vpc_flow.arn");
    }
  });

  it("tags subnets for load balancer and Karpenter discovery", () => {
    const clusterTag = "kubernetes.io/cluster/test-eks";
    for (const subnet of subnetsOfKind(synthesized, "public")) {
      expect(subnet.tags["kubernetes.io/role/elb"]).toBe("1");
      expect(subnet.tags[clusterTag]).toBe("shared");
      expect(subnet.tags["karpenter.sh/discovery"]).toBeUndefined();
    }
    for (const subnet of subnetsOfKind(synthesized, "private")) {
      expect(subnet.tags["kubernetes.io/role/internal-elb"]).toBe("1");
      expect(subnet.tags["karpenter.sh/discovery"]).toBe("test-eks");
      expect(subnet.tags[clusterTag]).toBe("shared");
    }
    for (const subnet of subnetsOfKind(synthesized, "database")) {
      expect(subnet.tags["kubernetes.io/role/elb"]).toBeUndefined();
      expect(subnet.tags["kubernetes.io/role/internal-elb"]).toBeUndefined();
      expect(subnet.tags["karpenter.sh/discovery"]).toBeUndefined();
    }
  });

  it("drops prevent_destroy from the flow-log group when preventDestroy is false", () => {
    const group = resourceMap(synth({ preventDestroy: false }), "aws_cloudwatch_log_group")["log_vpc_flow"]!;
    expect(group.lifecycle?.prevent_destroy).toBeUndefined();
  });
});

// The subnet plan of a VPC, shared by the network construct and by network policies that need
// the CIDRs of database and public subnets. A /16 splits into private /19s (room for pod IPs)
// from the bottom, and public and database /22s in the last two /19 blocks.
import { cidrSubnet } from "./ipv4";

export interface SubnetLayout {
  readonly private: string[];
  readonly public: string[];
  readonly database: string[];
}

export function subnetLayout(vpcCidr: string, azCount: number): SubnetLayout {
  const az = Array.from({ length: azCount }, (_, i) => i);
  return {
    private: az.map((i) => cidrSubnet(vpcCidr, 3, i)),
    public: az.map((i) => cidrSubnet(vpcCidr, 6, 48 + i)),
    database: az.map((i) => cidrSubnet(vpcCidr, 6, 56 + i)),
  };
}

import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { policyDocument, serviceTrust } from "../../lib/aws";
import { subnetLayout } from "../../lib/subnet-layout";
import { stateful } from "../../lib/protect";

export interface NetworkProps {
  /** Name tag prefix. */
  readonly name: string;
  readonly cidr: string;
  readonly region: string;
  readonly availabilityZones: readonly string[];
  /** One NAT gateway per AZ (survives an AZ loss) or a single shared one (cheaper). */
  readonly natGateways: "per-az" | "single";
  readonly flowLogRetentionDays: number;
  readonly logsKmsKeyArn: string;
  /** The EKS cluster that will run here: tags subnets for load balancer and Karpenter discovery. */
  readonly clusterName: string;
  readonly preventDestroy: boolean;
}

/** A VPC with public, private and database subnets in each AZ (see lib/subnet-layout.ts). */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  readonly databaseSubnets: Subnet[] = [];
  readonly privateRouteTables: RouteTable[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const tag = (name: string, extra: Record<string, string> = {}) => ({ Name: `${props.name}-${name}`, ...extra });
    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: "shared" };

    // Pinned address: every subnet, the database and the cluster live in it.
    this.vpc = stateful(
      new Vpc(this, "vpc", {
        cidrBlock: props.cidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: tag("vpc"),
      }),
      "vpc",
      false,
    );
    // The default security group allows all traffic between its members: close it.
    new DefaultSecurityGroup(this, "default-sg", {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: tag("default-closed"),
    });

    const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: tag("igw") });
    const publicRt = new RouteTable(this, "public-rt", { vpcId: this.vpc.id, tags: tag("public") });
    new Route(this, "public-default", {
      routeTableId: publicRt.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    const databaseRt = new RouteTable(this, "database-rt", { vpcId: this.vpc.id, tags: tag("database") });

    const layout = subnetLayout(props.cidr, props.availabilityZones.length);
    const nats: NatGateway[] = [];
    props.availabilityZones.forEach((az, i) => {
      const pub = new Subnet(this, `public-${i}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: layout.public[i],
        mapPublicIpOnLaunch: false,
        tags: tag(`public-${az}`, { ...clusterTag, "kubernetes.io/role/elb": "1" }),
      });
      new RouteTableAssociation(this, `public-${i}-rt`, { subnetId: pub.id, routeTableId: publicRt.id });
      this.publicSubnets.push(pub);

      if (props.natGateways === "per-az" || i === 0) {
        const eip = new Eip(this, `nat-${i}-eip`, { domain: "vpc", tags: tag(`nat-${az}`) });
        nats.push(
          new NatGateway(this, `nat-${i}`, {
            allocationId: eip.id,
            subnetId: pub.id,
            tags: tag(`nat-${az}`),
            dependsOn: [igw],
          }),
        );
      }

      const priv = new Subnet(this, `private-${i}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: layout.private[i],
        tags: tag(`private-${az}`, {
          ...clusterTag,
          "kubernetes.io/role/internal-elb": "1",
          "karpenter.sh/discovery": props.clusterName,
        }),
      });
      const rt = new RouteTable(this, `private-${i}-rt`, { vpcId: this.vpc.id, tags: tag(`private-${az}`) });
      new Route(this, `private-${i}-default`, {
        routeTableId: rt.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nats[nats.length - 1]!.id,
      });
      new RouteTableAssociation(this, `private-${i}-rta`, { subnetId: priv.id, routeTableId: rt.id });
      this.privateSubnets.push(priv);
      this.privateRouteTables.push(rt);

      // Database subnets have no route to the internet at all.
      const db = new Subnet(this, `database-${i}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: layout.database[i],
        tags: tag(`database-${az}`),
      });
      new RouteTableAssociation(this, `database-${i}-rta`, { subnetId: db.id, routeTableId: databaseRt.id });
      this.databaseSubnets.push(db);
    });

    // Lake traffic stays on the AWS network and costs no NAT data processing.
    new VpcEndpoint(this, "s3-endpoint", {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...this.privateRouteTables.map((routeTable) => routeTable.id), databaseRt.id],
      tags: tag("s3"),
    });

    const flowLogs = stateful(
      new CloudwatchLogGroup(this, "flow-logs", {
        name: `/vpc/${props.name}/flow-logs`,
        retentionInDays: props.flowLogRetentionDays,
        kmsKeyId: props.logsKmsKeyArn,
      }),
      "log_vpc_flow",
      props.preventDestroy,
    );
    const role = new IamRole(this, "flow-logs-role", {
      name: `${props.name}-vpc-flow-logs`,
      assumeRolePolicy: serviceTrust("vpc-flow-logs.amazonaws.com"),
    });
    new IamRolePolicy(this, "flow-logs-policy", {
      role: role.id,
      policy: policyDocument([
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [flowLogs.arn, `${flowLogs.arn}:*`],
        },
      ]),
    });
    new FlowLog(this, "flow-log", {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: flowLogs.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
  }
}

import { Construct } from "constructs";
import { HelmChart } from "../helm-chart";
import { resources, type AddonProps } from "./common";

export interface AwsLoadBalancerControllerProps extends AddonProps {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: string;
  /** Service account bound to the controller's Pod Identity role by the foundation. */
  readonly serviceAccountName: string;
}

/** The controller injects readiness gates only into pods of namespaces with this label. */
export const podReadinessGateLabel = { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } as const;

/** AWS Load Balancer Controller: turns Ingresses into one shared ALB. Region and VPC are given
 *  explicitly so the controller needs no instance metadata (nodes allow one IMDS hop only). */
export class AwsLoadBalancerController extends Construct {
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    this.chart = new HelmChart(this, "chart", {
      releaseName: "aws-load-balancer-controller",
      namespace: props.namespace,
      source: props.chart,
      values: {
        clusterName: props.clusterName,
        region: props.region,
        vpcId: props.vpcId,
        replicaCount: props.replicas ?? 2,
        serviceAccount: { create: true, name: props.serviceAccountName },
        resources: resources("50m", "128Mi", "256Mi"),
        // Pods join target groups only once healthy behind the ALB (in namespaces labelled with
        // podReadinessGateLabel: stacks/namespace-access.ts).
        enablePodReadinessGateInject: true,
        defaultTargetType: "ip",
      },
    });
  }
}

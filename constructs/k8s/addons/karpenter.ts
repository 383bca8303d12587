import type { Construct } from "constructs";
import { resources, type AddonProps } from "./common";
import { Operator } from "./operator";

export interface KarpenterProps extends AddonProps {
  readonly clusterName: string;
  readonly interruptionQueue: string;
  readonly serviceAccountName: string;
}

/** Karpenter's controller; its NodePools and EC2NodeClass are custom resources created with the
 *  workloads layer, once these CRDs exist. */
export class Karpenter extends Operator {
  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id, {
      ...props,
      releaseName: "karpenter",
      webhookPorts: [8443],
      values: {
        replicas: props.replicas ?? 2,
        serviceAccount: { create: true, name: props.serviceAccountName },
        settings: { clusterName: props.clusterName, interruptionQueue: props.interruptionQueue },
        controller: { resources: resources("250m", "512Mi", "1Gi") },
      },
    });
    // EC2, pricing, SSM and SQS APIs.
    this.namespace.allowHttpsEgress();
  }
}

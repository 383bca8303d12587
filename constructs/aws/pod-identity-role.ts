import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "../../lib/aws";

export interface PodIdentityRoleProps {
  readonly clusterName: string;
  readonly roleName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Inline permissions, scoped to exactly what the workload needs.
   *  @default none: no inline policy unless `policyJson` is given */
  readonly statements?: PolicyStatement[];
  /** A full policy document, for upstream policies kept verbatim (the load balancer controller's).
   *  @default none: the policy is built from `statements`, if any */
  readonly policyJson?: string;
  /** AWS managed or customer policies attached to the role. @default none */
  readonly managedPolicyArns?: string[];
  /** Create the EKS pod identity association here (false when an EKS add-on associates it). @default true */
  readonly associate?: boolean;
  /** What the association waits for: the EKS cluster when the same stack creates it
   *  (`clusterName` is a literal, which orders nothing). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** An IAM role that exactly one Kubernetes service account assumes through EKS Pod Identity. */
export class PodIdentityRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      assumeRolePolicy: policyDocument([
        {
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          // Only sessions for this cluster, namespace and service account.
          Condition: {
            StringEquals: {
              "aws:RequestTag/eks-cluster-name": props.clusterName,
              "aws:RequestTag/kubernetes-namespace": props.namespace,
              "aws:RequestTag/kubernetes-service-account": props.serviceAccount,
            },
          },
        },
      ]),
    });
    if (props.policyJson && props.statements?.length)
      throw new Error(`${props.roleName}: give statements or policyJson, not both`);
    const policy = props.policyJson ?? (props.statements?.length ? policyDocument(props.statements) : undefined);
    if (policy) new IamRolePolicy(this, "policy", { role: this.role.id, policy });
    (props.managedPolicyArns ?? []).forEach(
      (arn, i) => new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.role.name, policyArn: arn }),
    );
    if (props.associate ?? true) {
      new EksPodIdentityAssociation(this, "association", {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.role.arn,
        dependsOn: props.dependsOn,
      });
    }
  }
}

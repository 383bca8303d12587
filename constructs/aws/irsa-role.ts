import type { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "../../lib/aws";

export interface IrsaRoleProps {
  readonly provider: IamOpenidConnectProvider;
  /** Issuer URL of the cluster, e.g. https://oidc.eks.<region>.amazonaws.com/id/<id> */
  readonly issuerUrl: string;
  readonly roleName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly statements: PolicyStatement[];
}

/** An IAM role for one service account through the cluster's OIDC issuer (IRSA), for software
 *  that documents web-identity credentials only (Elasticsearch's S3 repository). */
export class IrsaRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const issuer = Fn.replace(props.issuerUrl, "https://", "");
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      assumeRolePolicy: policyDocument([
        {
          Effect: "Allow",
          Principal: { Federated: props.provider.arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccount}`,
              [`${issuer}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ]),
    });
    new IamRolePolicy(this, "policy", { role: this.role.id, policy: policyDocument(props.statements) });
  }
}

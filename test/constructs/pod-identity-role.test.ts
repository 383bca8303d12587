import { describe, expect, it } from "vitest";
import { PodIdentityRole, type PodIdentityRoleProps } from "../../constructs/aws/pod-identity-role";
import { one, resources, synthConstruct } from "../helpers";

const base: PodIdentityRoleProps = {
  clusterName: "test-eks",
  roleName: "test-app",
  namespace: "apps",
  serviceAccount: "app-sa",
};
const synth = (props: Partial<PodIdentityRoleProps> = {}) =>
  synthConstruct((scope) => new PodIdentityRole(scope, "pod", { ...base, ...props }));

describe("PodIdentityRole", () => {
  const stack = synth({ statements: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" }] });
  const role = one(stack, "aws_iam_role");
  const trust = JSON.parse(role.assume_role_policy);

  it("names the role", () => {
    expect(role.name).toBe("test-app");
  });

  it("is trusted only by EKS Pod Identity with AssumeRole and TagSession", () => {
    expect(trust.Statement).toHaveLength(1);
    const st = trust.Statement[0];
    expect(st.Effect).toBe("Allow");
    expect(st.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    expect([...st.Action].sort()).toEqual(["sts:AssumeRole", "sts:TagSession"]);
  });

  it("restricts the trust to one cluster, namespace and service account", () => {
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: {
        "aws:RequestTag/eks-cluster-name": "test-eks",
        "aws:RequestTag/kubernetes-namespace": "apps",
        "aws:RequestTag/kubernetes-service-account": "app-sa",
      },
    });
  });

  it("creates the association for that cluster, namespace and service account by default", () => {
    const assoc = one(stack, "aws_eks_pod_identity_association");
    expect(assoc).toMatchObject({ cluster_name: "test-eks", namespace: "apps", service_account: "app-sa" });
    expect(assoc.role_arn).toMatch(/^\$\{aws_iam_role\.pod_role_[0-9A-F]+\.arn\}$/);
  });

  it("creates no association when associate=false", () => {
    expect(resources(synth({ associate: false }), "aws_eks_pod_identity_association")).toEqual([]);
  });

  it("writes inline statements as the role policy", () => {
    const policy = JSON.parse(one(stack, "aws_iam_role_policy").policy);
    expect(policy.Statement).toEqual([{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" }]);
  });

  it("creates no inline policy without statements or policyJson", () => {
    expect(resources(synth(), "aws_iam_role_policy")).toEqual([]);
    expect(resources(synth({ statements: [] }), "aws_iam_role_policy")).toEqual([]);
  });

  it("keeps a verbatim policy document and attaches managed policies", () => {
    const doc = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "ec2:DescribeVpcs", Resource: "*" }],
    });
    const out = synth({
      policyJson: doc,
      managedPolicyArns: ["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"],
    });
    expect(one(out, "aws_iam_role_policy").policy).toBe(doc);
    expect(
      resources(out, "aws_iam_role_policy_attachment")
        .map((attachment) => attachment.policy_arn)
        .sort(),
    ).toEqual(["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"]);
  });
});

// Every pinned version of the product lives here: Terraform, providers, EKS and its add-ons,
// database engines, Helm charts and container images. Environment files refer to these; nothing
// else in the code base spells a version.

export const versions = {
  // Ephemeral resources need 1.10, write-only arguments 1.11.
  terraform: ">= 1.11",

  /** Kubernetes versions in EKS standard support that this product is tested against, with the
   *  add-on builds pinned for each (aws eks describe-addon-versions --kubernetes-version X). */
  eks: {
    "1.35": {
      "vpc-cni": "v1.21.1-eksbuild.3",
      coredns: "v1.13.2-eksbuild.3",
      "kube-proxy": "v1.35.0-eksbuild.2",
      "eks-pod-identity-agent": "v1.3.10-eksbuild.2",
      "aws-ebs-csi-driver": "v1.57.1-eksbuild.1",
    },
  },

  /** RDS for PostgreSQL engine and its parameter group family. */
  postgres: { engineVersion: "17.6", family: "postgres17" },
} as const;

export type EksVersion = keyof typeof versions.eks;
export const supportedEksVersions = Object.keys(versions.eks) as EksVersion[];
export type EksAddonName = keyof (typeof versions.eks)[EksVersion];

// Every engine of the live test tier, pinned in one place: the Kubernetes control plane, its
// storage, kwok, Helm, the Terraform providers, the scanners and the AWS API stand-in. Each Go
// engine is built from its own module under engines/ (go.mod and go.sum committed); a unit test
// checks that those modules require exactly the versions named here.

export interface GoEngine {
  /** Folder under engines/ holding the module that builds it. */
  readonly module: string;
  /** The upstream module and the version go.mod requires. */
  readonly upstream: string;
  readonly version: string;
  /** Packages built, each to a binary named after its last path element. */
  readonly packages: readonly string[];
  /** -X flags, so that the binary reports its own version. */
  readonly ldflags?: readonly string[];
  /** GOEXPERIMENT for the build, where upstream builds with one. */
  readonly goExperiment?: string;
}

export interface ProviderEngine extends GoEngine {
  /** The provider type, as in required_providers. */
  readonly type: string;
  /** The version the stacks require (the cdktf bindings' provider version). */
  readonly required: string;
  /** The version this build is installed as in the filesystem mirror: the proxy does not serve the
   *  release commit of `required`, so the nearest served commit is built and labelled as what it is. */
  readonly mirrorVersion: string;
}

const kubeVersion = "v1.35.4";
const kubeLdflags = ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"].flatMap((pkg) => [
  `${pkg}.gitVersion=${kubeVersion}`,
  `${pkg}.gitMajor=1`,
  `${pkg}.gitMinor=35`,
  `${pkg}.gitTreeState=clean`,
]);

export const engines = {
  /** Terraform on PATH is used when it is at least this version. */
  terraformMinimum: "1.11.0",
  kube: {
    module: "kube",
    upstream: "k8s.io/kubernetes",
    version: kubeVersion,
    packages: [
      "k8s.io/kubernetes/cmd/kube-apiserver",
      "k8s.io/kubernetes/cmd/kube-controller-manager",
      "k8s.io/kubernetes/cmd/kube-scheduler",
    ],
    ldflags: kubeLdflags,
  },
  kine: {
    module: "kine",
    upstream: "github.com/k3s-io/kine",
    version: "v0.17.5",
    packages: ["github.com/k3s-io/kine"],
  },
  kwok: { module: "kwok", upstream: "sigs.k8s.io/kwok", version: "v0.8.0", packages: ["sigs.k8s.io/kwok/cmd/kwok"] },
  // The helm provider embeds Helm v3.20.2: the CLI that serves and checks charts is the same.
  helm: {
    module: "helm",
    upstream: "helm.sh/helm/v3",
    version: "v3.20.2",
    packages: ["helm.sh/helm/v3/cmd/helm"],
    ldflags: ["helm.sh/helm/v3/internal/version.version=v3.20.2"],
  },
  trivy: {
    module: "trivy",
    upstream: "github.com/aquasecurity/trivy",
    version: "v0.74.0",
    packages: ["github.com/aquasecurity/trivy/cmd/trivy"],
    ldflags: ["github.com/aquasecurity/trivy/pkg/version/app.ver=0.74.0"],
    // Trivy 0.74 imports encoding/json/v2, which Go 1.26 ships behind this experiment.
    goExperiment: "jsonv2",
  },
  providers: [
    {
      type: "aws",
      required: "6.25.0",
      // 6.47.1 plus main-branch commits up to 2026-06-02 (its CHANGELOG heads "6.48.0 (Unreleased)").
      mirrorVersion: "6.48.0-dev.20260602",
      module: "provider-aws",
      upstream: "github.com/hashicorp/terraform-provider-aws",
      version: "v1.60.1-0.20260602190131-5f2286d6d836",
      packages: ["github.com/hashicorp/terraform-provider-aws"],
    },
    {
      type: "kubernetes",
      required: "2.38.0",
      // 3.2.1 plus a grpc bump and a CODEOWNERS change; 3.x only deprecates 2.x names.
      mirrorVersion: "3.2.2-dev.20260821",
      module: "provider-kubernetes",
      upstream: "github.com/hashicorp/terraform-provider-kubernetes",
      version: "v1.13.4-0.20260821094251-3a33fb6cc605",
      packages: ["github.com/hashicorp/terraform-provider-kubernetes"],
    },
    {
      type: "helm",
      required: "3.1.1",
      // 3.2.0 plus main-branch commits up to 2026-06-29; embeds Helm v3.20.2.
      mirrorVersion: "3.2.1-dev.20260629",
      module: "provider-helm",
      upstream: "github.com/hashicorp/terraform-provider-helm",
      version: "v1.3.3-0.20260629194918-a4f1c1d8b008",
      packages: ["github.com/hashicorp/terraform-provider-helm"],
    },
  ] satisfies ProviderEngine[],
  /** Python tools, installed into one virtual environment. */
  python: { checkov: "3.3.30", "moto[server]": "5.2.5" },
} as const;

export const goEngines: readonly GoEngine[] = [
  engines.kube,
  engines.kine,
  engines.kwok,
  engines.helm,
  ...engines.providers,
  engines.trivy,
];

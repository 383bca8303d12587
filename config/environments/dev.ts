import type { LocalEnvironmentInput } from "../schema";

// Features, tests and demos on one local cluster (kind, k3d, minikube): no cloud account.
export const dev: LocalEnvironmentInput = {
  name: "dev",
  tier: "development",
  platform: "local",
  domain: "odp.localtest.me",
  backend: { type: "local", directory: "terraform-state" },
  tags: { owner: "data-platform", costCentre: "cc-4200" },
  protection: { deletionProtection: false, preventDestroy: false },
  cluster: { kubeconfigPath: "~/.kube/config", context: "kind-odp" },
};

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
  cluster: { kubeconfigPath: "~/.kube/config", context: "kind-odp", storageProvisioner: "rancher.io/local-path" },
  postgres: { instances: 1, storageGiB: 10, pooler: false },
  // One server with four drives still erasure-codes (EC:2); prod-like clusters use 4 servers.
  minio: { servers: 1, volumesPerServer: 4, volumeSizeGiB: 10 },
  workloads: {
    airbyte: { serverReplicas: 1, webappReplicas: 1, workers: { min: 1, max: 2 } },
    superset: { webReplicas: 1, workerReplicas: 1 },
    dremio: {
      coordinator: { cpu: 1, memoryGiB: 6, heapGiB: 2, storageGiB: 10 },
      executors: {
        count: 1,
        maxCount: 1,
        requests: { cpu: 1, memoryGiB: 6 },
        limits: { cpu: 2, memoryGiB: 6 },
        heapMinGiB: 2,
        heapMaxGiB: 2,
        storageGiB: 10,
      },
      zookeeper: { replicas: 1, storageGiB: 2 },
    },
    observability: {
      prometheus: { replicas: 1, retentionDays: 2, storageGiB: 10 },
      alertmanagerReplicas: 1,
      logRetentionDays: 3,
    },
    elasticsearch: {
      nodeSets: { default: { count: 1, roles: ["master", "data", "ingest"], storageGiB: 10, memoryGiB: 2 } },
    },
  },
};

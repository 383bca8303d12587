// What a fresh kind cluster has before anything is applied to it, recreated on the kwok control
// plane: one node with the capacity README tells users to give their cluster, the control-plane
// and system pods that use part of it, the default StorageClass `standard` and the local-path
// provisioner's objects. The platform's stacks must apply on top of exactly this.
import type { KubeApi, KubeObject } from "./kube-api";
import { collectionPath, waitFor } from "./kube-api";

export interface Capacity {
  cpu: number;
  memoryGiB: number;
}

const labels = (app: string) => ({ app });

function pod(name: string, namespace: string, node: string, cpu: string, memory: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: labels(name) },
    spec: {
      nodeName: node,
      priorityClassName: "system-node-critical",
      tolerations: [{ operator: "Exists" }],
      containers: [{ name, image: `registry.k8s.io/${name}:kind`, resources: { requests: { cpu, memory } } }],
    },
  };
}

function deployment(
  name: string,
  namespace: string,
  replicas: number,
  cpu: string,
  memory: string,
  serviceAccountName?: string,
): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: labels(name) },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          ...(serviceAccountName ? { serviceAccountName } : {}),
          tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }],
          containers: [{ name, image: `registry.k8s.io/${name}:kind`, resources: { requests: { cpu, memory } } }],
        },
      },
    },
  };
}

/** Creates the node and the objects kind starts with; returns the node's name. */
export async function createKindBaseline(
  api: KubeApi,
  clusterName: string,
  capacity: Capacity,
  provisioner: string,
): Promise<string> {
  const node = `${clusterName}-control-plane`;
  const resources = {
    cpu: String(capacity.cpu),
    memory: `${capacity.memoryGiB}Gi`,
    pods: "110",
    "ephemeral-storage": "200Gi",
  };
  await api.create("/api/v1/nodes", {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: node,
      labels: {
        "kubernetes.io/hostname": node,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "node-role.kubernetes.io/control-plane": "",
        "node.kubernetes.io/exclude-from-external-load-balancers": "",
        type: "kwok",
      },
      annotations: { "kwok.x-k8s.io/node": "fake" },
    },
    // A single-node kind cluster removes the control-plane taint, so workloads run on it.
    spec: {},
    status: { capacity: resources, allocatable: resources },
  });
  // The API server taints a new node not-ready; the node lifecycle controller, which would lift it,
  // is off (kwok sends no heartbeats), so the taint is lifted here once kwok reports Ready.
  await waitFor(`node ${node} Ready`, 60_000, async () => {
    const nodeObject = await api.get(`/api/v1/nodes/${node}`);
    return (
      (nodeObject.status?.conditions ?? []).some(
        (condition: { type: string; status: string }) => condition.type === "Ready" && condition.status === "True",
      ) || undefined
    );
  });
  await api.mergePatch(`/api/v1/nodes/${node}`, { spec: { taints: null } });
  // The control plane's static pods and kind's system pods take their share of the node.
  const sys = "kube-system";
  for (const [name, cpu, memory] of [
    ["etcd", "100m", "100Mi"],
    ["kube-apiserver", "250m", "0"],
    ["kube-controller-manager", "200m", "0"],
    ["kube-scheduler", "100m", "0"],
    ["kindnet", "100m", "50Mi"],
    ["kube-proxy", "0", "0"],
  ] as const)
    await api.create(collectionPath("v1", "pods", sys), pod(`${name}-${node}`, sys, node, cpu, memory));
  await api.create(collectionPath("apps/v1", "deployments", sys), deployment("coredns", sys, 2, "100m", "70Mi"));

  const lp = "local-path-storage";
  await api.create("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: lp } });
  await api.create(collectionPath("v1", "serviceaccounts", lp), {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: "local-path-provisioner-service-account", namespace: lp },
  });
  await api.create(collectionPath("v1", "configmaps", lp), {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "local-path-config", namespace: lp },
    data: {
      "config.json": JSON.stringify({
        nodePathMap: [{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: ["/var/local-path-provisioner"] }],
      }),
    },
  });
  await api.create(
    collectionPath("apps/v1", "deployments", lp),
    deployment("local-path-provisioner", lp, 1, "0", "0", "local-path-provisioner-service-account"),
  );
  await api.create(collectionPath("storage.k8s.io/v1", "storageclasses"), {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner,
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  });
  return node;
}

/** Names of what the baseline has, so that what the platform leaves behind can be told apart. */
export interface Inventory {
  namespaces: Set<string>;
  storageClasses: Set<string>;
  webhooks: Set<string>;
}

export async function inventory(api: KubeApi): Promise<Inventory> {
  const names = async (path: string) => new Set((await api.list(path)).map((object) => object.metadata.name));
  const webhooks = new Set([
    ...(await names("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations")),
    ...(await names("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations")),
  ]);
  return {
    namespaces: await names("/api/v1/namespaces"),
    storageClasses: await names("/apis/storage.k8s.io/v1/storageclasses"),
    webhooks,
  };
}

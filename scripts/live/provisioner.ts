// A volume provisioner for the live tier, standing in for kind's local-path provisioner (whose pod
// does not run on kwok): each pending claim of a class it serves gets a hostPath volume on the node
// the scheduler picked, and a released volume of a Delete class is deleted.
import { PollingLoop, type KubeApi, type KubeObject } from "./kube-api";

const provisionedBy = "pv.kubernetes.io/provisioned-by";

export class Provisioner {
  readonly loop = new PollingLoop(() => this.tick());
  provisioned = 0;

  constructor(
    private readonly api: KubeApi,
    private readonly provisioners: readonly string[],
  ) {}

  start(): void {
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }

  async tick(): Promise<void> {
    const classes = new Map(
      (await this.api.list("/apis/storage.k8s.io/v1/storageclasses")).map((storageClass) => [
        storageClass.metadata.name,
        storageClass,
      ]),
    );
    const defaultClass = [...classes.values()].find(
      (storageClass) => storageClass.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true",
    );
    for (const pvc of await this.api.list("/api/v1/persistentvolumeclaims")) {
      if (pvc.spec.volumeName || pvc.metadata.deletionTimestamp) continue;
      const sc = pvc.spec.storageClassName ? classes.get(pvc.spec.storageClassName) : defaultClass;
      if (!sc || !this.provisioners.includes(sc.provisioner)) continue;
      const node = pvc.metadata.annotations?.["volume.kubernetes.io/selected-node"];
      if (sc.volumeBindingMode === "WaitForFirstConsumer" && !node) continue;
      await this.api.ensure("/api/v1/persistentvolumes", this.volumeFor(pvc, sc, node));
      this.provisioned++;
    }
    for (const pv of await this.api.list("/api/v1/persistentvolumes")) {
      const mine = this.provisioners.includes(pv.metadata.annotations?.[provisionedBy]);
      if (mine && pv.status?.phase === "Released" && pv.spec.persistentVolumeReclaimPolicy === "Delete")
        await this.api.delete(`/api/v1/persistentvolumes/${pv.metadata.name}`);
    }
  }

  private volumeFor(pvc: KubeObject, sc: KubeObject, node: string | undefined): KubeObject {
    const name = `pvc-${pvc.metadata.uid}`;
    return {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name, annotations: { [provisionedBy]: sc.provisioner } },
      spec: {
        capacity: { storage: pvc.spec.resources.requests.storage },
        accessModes: pvc.spec.accessModes,
        volumeMode: pvc.spec.volumeMode ?? "Filesystem",
        storageClassName: sc.metadata.name,
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
        claimRef: {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          namespace: pvc.metadata.namespace,
          name: pvc.metadata.name,
          uid: pvc.metadata.uid,
        },
        hostPath: { path: `/var/local-path-provisioner/${name}`, type: "DirectoryOrCreate" },
        ...(node
          ? {
              nodeAffinity: {
                required: {
                  nodeSelectorTerms: [
                    { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node] }] },
                  ],
                },
              },
            }
          : {}),
      },
    };
  }
}

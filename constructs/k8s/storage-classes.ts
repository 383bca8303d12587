import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Construct } from "constructs";
import { protect } from "../../lib/protect";

export interface StorageClassesProps {
  readonly provisioner: string;
  /** Provisioner parameters of the fast class (EBS: gp3, 3000 IOPS, 125 MiB/s, encrypted).
   *  @default none: the provisioner's defaults */
  readonly fastParameters?: Record<string, string>;
  /** Provisioner parameters of the `standard` class. @default none: the provisioner's defaults */
  readonly standardParameters?: Record<string, string>;
  /** Retain keeps a volume's data when its claim is deleted: for protected tiers. */
  readonly reclaimPolicy: "Retain" | "Delete";
  /** lifecycle.prevent_destroy on both classes, for protected tiers. A class's parameters are
   *  immutable, so a change replaces it: a plan error to review rather than a moment in which
   *  volume claims find no class. @default true when reclaimPolicy is Retain */
  readonly preventDestroy?: boolean;
  /** Let claims grow their volumes. @default true */
  readonly allowVolumeExpansion?: boolean;
  /** Create the general-purpose default class `standard`; false where the cluster brings its own.
   *  @default true */
  readonly createStandard?: boolean;
}

export const storageClassNames = { fast: "fast-ssd", standard: "standard" } as const;

/** `fast-ssd` for databases, search and query engines, `standard` (the default) for the rest;
 *  both bind only once a pod is scheduled, so volumes land in the pod's zone. */
export class StorageClasses extends Construct {
  readonly classes: StorageClassV1[];

  constructor(scope: Construct, id: string, props: StorageClassesProps) {
    super(scope, id);
    const common = {
      storageProvisioner: props.provisioner,
      reclaimPolicy: props.reclaimPolicy,
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: props.allowVolumeExpansion ?? true,
    };
    const fast = new StorageClassV1(this, "fast", {
      metadata: { name: storageClassNames.fast },
      parameters: props.fastParameters,
      ...common,
    });
    this.classes = [fast];
    if (props.createStandard ?? true) {
      const standard = new StorageClassV1(this, "standard", {
        metadata: {
          name: storageClassNames.standard,
          annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
        },
        parameters: props.standardParameters,
        ...common,
      });
      this.classes.push(standard);
    }
    for (const storageClass of this.classes)
      protect(storageClass, props.preventDestroy ?? props.reclaimPolicy === "Retain");
  }
}

import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { typedManifest } from "./manifest-types";
import { platformSecretStore, type SecretRef } from "../platform/contract";

export interface ExternalSecretProps {
  readonly namespace: string;
  /** Name of the Kubernetes Secret that external-secrets creates and owns. */
  readonly secretName: string;
  /** Target data key -> where its value lives in the platform secret store. */
  readonly data: Record<string, SecretRef>;
  /** Extra keys rendered from the fetched values with external-secrets templating.
   *  @default none: the Secret holds the `data` keys only */
  readonly template?: Record<string, string>;
  /** How often external-secrets re-reads the store. @default 1h */
  readonly refreshInterval?: string;
  /** What the ExternalSecret waits for (its store, the operator's CRDs). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** A Kubernetes Secret kept in sync with the platform's secret store: values never pass
 *  through Terraform, only their references. */
export class ExternalSecret extends Construct {
  readonly secretName: string;
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    this.secretName = props.secretName;
    const data = Object.entries(props.data).map(([secretKey, ref]) => ({
      secretKey,
      remoteRef: { key: ref.key, property: ref.property },
    }));
    this.manifest = typedManifest(this, "es", {
      manifest: {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: props.secretName, namespace: props.namespace },
        spec: {
          refreshInterval: props.refreshInterval ?? "1h",
          secretStoreRef: { kind: "ClusterSecretStore", name: platformSecretStore },
          target: {
            name: props.secretName,
            creationPolicy: "Owner",
            ...(props.template
              ? { template: { engineVersion: "v2", mergePolicy: "Merge", data: props.template } }
              : {}),
          },
          data,
        },
      },
      dependsOn: props.dependsOn,
    });
  }
}

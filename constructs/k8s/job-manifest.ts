// A batch/v1 Job as a kubernetes_manifest: the generated JobV1 class (5.4 MB) costs tens of
// milliseconds of module compile time per synthesis. Written in Kubernetes API field names and types.
import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Token, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { createHash } from "node:crypto";
import { typedManifest, type JobSpec } from "./manifest-types";

export interface JobManifestProps {
  /** Prefix of the Job's name; `-<hash of its content>` is appended. */
  readonly baseName: string;
  readonly namespace: string;
  /** Labels on the Job's metadata (part of its content hash). @default none */
  readonly labels?: Record<string, string>;
  /** The Job's `spec`, in Kubernetes API names and types; never `ttlSecondsAfterFinished`. */
  readonly spec: JobSpec;
  /** What else the Job's run depends on (e.g. the content of a ConfigMap it mounts): part of the hash.
   *  @default none: the hash covers the Job's metadata and spec only */
  readonly hashInputs?: readonly string[];
  /** Wait, up to this long (a Terraform duration such as "10m"), until the Job reports Complete=True.
   *  @default none: apply does not wait for the Job */
  readonly waitForCompletion?: string;
  /** What the Job waits for. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A Job's pod template is immutable, and unlike kubernetes_job_v1 a kubernetes_manifest does not
 * replace an object whose spec changed: it patches it, which the API server rejects. The name
 * therefore carries a hash of the whole Job (a changed name replaces the object), as before.
 *
 * The Job runs once per content: it stays in the cluster once finished, so the next plan finds it
 * and is empty. A `ttlSecondsAfterFinished` would let Kubernetes delete it, and every later plan
 * would create it again; a change of its inputs is what runs it again (a new name). To re-run one
 * by hand (e.g. after rotating a secret it reads): `terraform apply -replace=<its address>`.
 */
export function jobManifest(scope: Construct, id: string, props: JobManifestProps): Manifest {
  if ("ttlSecondsAfterFinished" in props.spec) {
    throw new Error(
      `Job ${props.baseName}: no ttlSecondsAfterFinished on a Job that Terraform manages (Kubernetes would delete it and every later plan recreate it)`,
    );
  }
  const metadata = { namespace: props.namespace, ...(props.labels ? { labels: props.labels } : {}) };
  const hash = createHash("sha256")
    .update([...(props.hashInputs ?? []), stableJson({ metadata, spec: props.spec })].join("\0"))
    .digest("hex")
    .slice(0, 8);
  return typedManifest(scope, id, {
    manifest: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: `${props.baseName}-${hash}`, ...metadata },
      spec: props.spec,
    },
    // The API server adds the controller-uid and job-name labels to the pod template: without this
    // the provider reports an inconsistent result after apply. The first two are the defaults.
    computedFields: ["metadata.annotations", "metadata.labels", "spec.template.metadata.labels"],
    ...(props.waitForCompletion
      ? {
          wait: { condition: [{ type: "Complete", status: "True" }] },
          timeouts: { create: props.waitForCompletion, update: props.waitForCompletion },
        }
      : {}),
    dependsOn: props.dependsOn,
  });
}

/** JSON of the value with every unresolved token as a fixed marker: token numbers depend on
 *  construction order, so they must not reach the hash. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, fieldValue: unknown) =>
    (typeof fieldValue === "string" || typeof fieldValue === "number") && Token.isUnresolved(fieldValue)
      ? "<token>"
      : fieldValue,
  );
}

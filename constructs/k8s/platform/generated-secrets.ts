import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { typedManifest } from "../manifest-types";
import { PlatformNamespace } from "../platform-namespace";

export interface GeneratedSecretsProps {
  readonly namespace: string;
  /** Secret name -> keys besides the generated `password` key (a value may repeat it as
   *  "{{ .password }}", for software that expects another key name). */
  readonly secrets: Record<string, Record<string, string>>;
  /** Length of each generated password. @default 40 */
  readonly passwordLength?: number;
}

/**
 * The in-cluster secret store of a plain cluster: Secrets in one namespace, each generated once by
 * external-secrets' Password generator (refreshInterval 0: never regenerated), so no value ever
 * passes through Terraform and none is a default.
 */
export class GeneratedSecrets extends Construct {
  readonly namespace: PlatformNamespace;
  /** The ExternalSecrets that generate each Secret (what a reader of them waits for). */
  readonly secrets: Manifest[] = [];

  constructor(scope: Construct, id: string, props: GeneratedSecretsProps) {
    super(scope, id);
    this.namespace = new PlatformNamespace(this, "ns", { name: props.namespace, allowWithinNamespace: false });
    const generator = typedManifest(this, "generator", {
      manifest: {
        apiVersion: "generators.external-secrets.io/v1alpha1",
        kind: "Password",
        metadata: { name: "strong", namespace: props.namespace },
        spec: { length: props.passwordLength ?? 40, digits: 6, symbols: 0, noUpper: false, allowRepeat: true },
      },
      dependsOn: [this.namespace.namespace],
    });
    for (const [name, data] of Object.entries(props.secrets)) {
      const secret = typedManifest(this, `secret-${name}`, {
        manifest: {
          apiVersion: "external-secrets.io/v1",
          kind: "ExternalSecret",
          metadata: { name, namespace: props.namespace },
          spec: {
            refreshInterval: "0",
            target: {
              name,
              creationPolicy: "Owner",
              deletionPolicy: "Retain",
              template: { engineVersion: "v2", mergePolicy: "Merge", data },
            },
            dataFrom: [
              {
                sourceRef: {
                  generatorRef: {
                    apiVersion: "generators.external-secrets.io/v1alpha1",
                    kind: "Password",
                    name: "strong",
                  },
                },
              },
            ],
          },
        },
        dependsOn: [generator],
      });
      this.secrets.push(secret);
    }
  }
}

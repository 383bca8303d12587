import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { typedManifest, type SecretStoreProvider } from "../manifest-types";
import { platformSecretStore, type SecretStore } from "../../platform/contract";

export interface PlatformSecretStoreProps {
  readonly store: SecretStore;
  /** On a plain cluster, when the same stack creates them: the namespace whose Secrets the store
   *  serves, and what creates those Secrets (readers of the store then wait for them too).
   *  @default none: the store and its readers wait for nothing more */
  readonly served?: { readonly namespace: ITerraformDependable; readonly secrets: readonly ITerraformDependable[] };
}

/** The one ClusterSecretStore all ExternalSecrets read from: AWS Secrets Manager (credentials from
 *  the controller's Pod Identity role), or Secrets in one namespace of the cluster itself. */
export class PlatformSecretStore extends Construct {
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: PlatformSecretStoreProps) {
    super(scope, id);
    const store = props.store;
    const nsDeps = props.served ? [props.served.namespace] : undefined;
    const storeDeps: ITerraformDependable[] = [...(props.served?.secrets ?? [])];
    let provider: SecretStoreProvider;
    if (store.kind === "aws-secrets-manager") {
      provider = { aws: { service: "SecretsManager", region: store.region } };
    } else {
      const reader = "secret-store-reader";
      const sa = new ServiceAccountV1(this, "sa", {
        metadata: { name: reader, namespace: store.namespace },
        dependsOn: nsDeps,
      });
      const role = new RoleV1(this, "role", {
        metadata: { name: reader, namespace: store.namespace },
        rule: [
          { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
          { apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectrulesreviews"], verbs: ["create"] },
        ],
        dependsOn: nsDeps,
      });
      // The store authenticates as the service account, with the binding's rights.
      const binding = new RoleBindingV1(this, "binding", {
        metadata: { name: reader, namespace: store.namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subject: [{ kind: "ServiceAccount", name: sa.metadata.name, namespace: store.namespace }],
        dependsOn: nsDeps,
      });
      storeDeps.push(binding);
      provider = {
        kubernetes: {
          remoteNamespace: store.namespace,
          server: {
            caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt", namespace: store.namespace },
          },
          auth: { serviceAccount: { name: reader, namespace: store.namespace } },
        },
      };
    }
    this.manifest = typedManifest(this, "store", {
      manifest: {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name: platformSecretStore },
        spec: { provider },
      },
      dependsOn: storeDeps.length ? storeDeps : undefined,
    });
  }
}

import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Construct } from "constructs";
import { platformSecretStore, type SecretStore } from "../../platform/contract";

export interface PlatformSecretStoreProps {
  readonly store: SecretStore;
}

/** The one ClusterSecretStore all ExternalSecrets read from: AWS Secrets Manager (credentials from
 *  the controller's Pod Identity role), or Secrets in one namespace of the cluster itself. */
export class PlatformSecretStore extends Construct {
  readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: PlatformSecretStoreProps) {
    super(scope, id);
    const store = props.store;
    let provider: object;
    if (store.kind === "aws-secrets-manager") {
      provider = { aws: { service: "SecretsManager", region: store.region } };
    } else {
      const reader = "secret-store-reader";
      const sa = new ServiceAccountV1(this, "sa", { metadata: { name: reader, namespace: store.namespace } });
      const role = new RoleV1(this, "role", {
        metadata: { name: reader, namespace: store.namespace },
        rule: [
          { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
          { apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectrulesreviews"], verbs: ["create"] },
        ],
      });
      new RoleBindingV1(this, "binding", {
        metadata: { name: reader, namespace: store.namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subject: [{ kind: "ServiceAccount", name: sa.metadata.name, namespace: store.namespace }],
      });
      provider = {
        kubernetes: {
          remoteNamespace: store.namespace,
          server: { caProvider: { type: "ConfigMap", name: "kube-root-ca.crt", key: "ca.crt", namespace: store.namespace } },
          auth: { serviceAccount: { name: reader, namespace: store.namespace } },
        },
      };
    }
    this.manifest = new Manifest(this, "store", {
      manifest: { apiVersion: "external-secrets.io/v1", kind: "ClusterSecretStore", metadata: { name: platformSecretStore }, spec: { provider } },
    });
  }
}

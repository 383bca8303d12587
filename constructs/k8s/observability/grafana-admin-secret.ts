import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { SecretRef } from "../../platform/contract";
import { ExternalSecret } from "../external-secret";
import { grafanaAdminSecret, monitoringNamespace } from "./monitoring";

export interface GrafanaAdminSecretProps {
  /** The generated secret `grafana-admin` in the platform store (property `password`). */
  readonly password: SecretRef;
  /** Grafana's admin login name; not a secret. @default platform-admin */
  readonly username?: string;
  /** Namespace of the Secret, Grafana's own. @default monitoring (`monitoringNamespace`) */
  readonly namespace?: string;
  /** What the ExternalSecret waits for. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The Secret Grafana reads its admin from (`admin.existingSecret` of `KubePrometheusStack`),
 * kept in sync with the platform secret store by external-secrets: the password never passes
 * through Terraform. It is a custom resource read through the ClusterSecretStore, so it belongs
 * to the apps layer (after the store); Grafana's pod starts once it exists.
 */
export class GrafanaAdminSecret extends Construct {
  readonly secretName = grafanaAdminSecret.name;
  readonly externalSecret: ExternalSecret;

  constructor(scope: Construct, id: string, props: GrafanaAdminSecretProps) {
    super(scope, id);
    this.externalSecret = new ExternalSecret(this, "secret", {
      namespace: props.namespace ?? monitoringNamespace,
      secretName: grafanaAdminSecret.name,
      data: { [grafanaAdminSecret.passwordKey]: props.password },
      template: { [grafanaAdminSecret.userKey]: props.username ?? "platform-admin" },
      dependsOn: props.dependsOn,
    });
  }
}

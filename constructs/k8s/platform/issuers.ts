import type { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { Construct } from "constructs";
import { typedManifest } from "../manifest-types";

export interface CertificateIssuersProps {
  /** Namespace where cert-manager keeps cluster-issuer secrets (its own namespace). */
  readonly certManagerNamespace: string;
  /** Name of the CA ClusterIssuer that signs the platform's certificates. */
  readonly caIssuer: string;
}

/** A self-signed root that bootstraps the platform CA, and the CA ClusterIssuer built on it: TLS
 *  for internal services everywhere, and for the gateway on plain clusters. */
export class CertificateIssuers extends Construct {
  readonly caIssuer: Manifest;

  constructor(scope: Construct, id: string, props: CertificateIssuersProps) {
    super(scope, id);
    const bootstrap = typedManifest(this, "selfsigned", {
      manifest: {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: "selfsigned-bootstrap" },
        spec: { selfSigned: {} },
      },
    });
    const ca = typedManifest(this, "ca-cert", {
      manifest: {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: props.caIssuer, namespace: props.certManagerNamespace },
        spec: {
          isCA: true,
          commonName: `${props.caIssuer} root`,
          secretName: `${props.caIssuer}-root`,
          duration: "87600h",
          renewBefore: "720h",
          privateKey: { algorithm: "ECDSA", size: 256 },
          issuerRef: { name: "selfsigned-bootstrap", kind: "ClusterIssuer", group: "cert-manager.io" },
        },
      },
      dependsOn: [bootstrap],
    });
    this.caIssuer = typedManifest(this, "ca-issuer", {
      manifest: {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: props.caIssuer },
        spec: { ca: { secretName: `${props.caIssuer}-root` } },
      },
      dependsOn: [ca],
    });
  }
}

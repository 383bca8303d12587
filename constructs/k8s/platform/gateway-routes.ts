import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { typedManifest } from "../manifest-types";
import type { ExposedService } from "../workloads/types";

export interface GatewayRoutesProps {
  readonly namespace: string;
  readonly domain: string;
  readonly clusterIssuer: string;
  readonly services: readonly ExposedService[];
  /** Controller of the GatewayClass. @default gateway.envoyproxy.io/gatewayclass-controller (Envoy Gateway) */
  readonly gatewayClassController?: string;
  /** What creates `clusterIssuer` when the same stack does: the certificate waits for it.
   *  @default none: the issuer already exists */
  readonly issuer?: ITerraformDependable;
}

/** A Gateway API entry point for plain clusters: HTTPS on a cert-manager wildcard certificate,
 *  HTTP answering only with a redirect, and one HTTPRoute per exposed service. */
export class GatewayRoutes extends Construct {
  constructor(scope: Construct, id: string, props: GatewayRoutesProps) {
    super(scope, id);
    const ns = props.namespace;
    const cls = typedManifest(this, "class", {
      manifest: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "GatewayClass",
        metadata: { name: "platform" },
        spec: { controllerName: props.gatewayClassController ?? "gateway.envoyproxy.io/gatewayclass-controller" },
      },
    });
    const certSecret = "platform-gateway-tls";
    const cert = typedManifest(this, "certificate", {
      manifest: {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: certSecret, namespace: ns },
        spec: {
          secretName: certSecret,
          dnsNames: [props.domain, `*.${props.domain}`],
          privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
          issuerRef: { name: props.clusterIssuer, kind: "ClusterIssuer", group: "cert-manager.io" },
        },
      },
      dependsOn: props.issuer ? [props.issuer] : undefined,
    });
    const gateway = typedManifest(this, "gateway", {
      manifest: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: "platform", namespace: ns },
        spec: {
          gatewayClassName: "platform",
          listeners: [
            {
              name: "http",
              protocol: "HTTP",
              port: 80,
              hostname: `*.${props.domain}`,
              allowedRoutes: { namespaces: { from: "Same" } },
            },
            {
              name: "https",
              protocol: "HTTPS",
              port: 443,
              hostname: `*.${props.domain}`,
              tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: certSecret }] },
              allowedRoutes: { namespaces: { from: "All" } },
            },
          ],
        },
      },
      dependsOn: [cls, cert],
    });
    const parent = (section: string) => ({ name: "platform", namespace: ns, sectionName: section });
    typedManifest(this, "redirect", {
      manifest: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "https-redirect", namespace: ns },
        spec: {
          parentRefs: [parent("http")],
          rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
        },
      },
      dependsOn: [gateway],
    });
    for (const svc of props.services) {
      const name = svc.host.split(".")[0]!;
      typedManifest(this, `route-${name}`, {
        manifest: {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: { name, namespace: svc.namespace },
          spec: {
            parentRefs: [parent("https")],
            hostnames: [svc.host],
            rules: [
              {
                matches: [{ path: { type: "PathPrefix", value: "/" } }],
                backendRefs: [{ name: svc.serviceName, port: svc.servicePort }],
              },
            ],
          },
        },
        dependsOn: [gateway, ...(svc.dependsOn ?? [])],
      });
    }
  }
}

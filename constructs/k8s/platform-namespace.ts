import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecEgress,
  type NetworkPolicyV1SpecIngress,
} from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";
import { stateful } from "../../lib/protect";
import type { NetworkPeer } from "../platform/contract";

export interface PlatformNamespaceProps {
  readonly name: string;
  /** Pod Security Standard enforced on the namespace. @default restricted */
  readonly podSecurity?: "restricted" | "baseline" | "privileged";
  /** Extra labels on the namespace. @default none: only the Pod Security and part-of labels */
  readonly labels?: Record<string, string>;
  /** Keep pods free to talk within the namespace (components of one product). @default true */
  readonly allowWithinNamespace?: boolean;
}

/**
 * A namespace that starts closed: a default-deny policy for ingress and egress, then DNS. Every
 * other flow is an explicit allow added with `allowEgressTo` / `allowIngressFrom`.
 */
export class PlatformNamespace extends Construct {
  readonly name: string;
  readonly namespace: NamespaceV1;
  /** The namespace's name as a reference (each read of the attribute makes a new token). */
  private readonly ref: string;
  private readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    const level = props.podSecurity ?? "restricted";
    this.labels = {
      "pod-security.kubernetes.io/enforce": level,
      "pod-security.kubernetes.io/warn": "restricted",
      "app.kubernetes.io/part-of": "open-data-platform",
      ...props.labels,
    };
    this.namespace = new NamespaceV1(this, "ns", { metadata: { name: props.name, labels: { ...this.labels } } });
    // Deleting a namespace deletes everything in it: its address is pinned and locked.
    stateful(this.namespace, `ns_${props.name.replace(/-/g, "_")}`, false);
    this.ref = this.namespace.metadata.name;
    this.policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    this.policy("allow-dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { port: "53", protocol: "UDP" },
            { port: "53", protocol: "TCP" },
          ],
        },
      ],
    });
    if (props.allowWithinNamespace ?? true) {
      this.policy("allow-same-namespace", {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      });
    }
  }

  /** Adds labels to the namespace (e.g. ones a controller's webhook selects namespaces by). */
  addLabels(labels: Record<string, string>): void {
    Object.assign(this.labels, labels);
    this.namespace.metadata.labels = { ...this.labels };
  }

  /** Operators: egress to the API server, and ingress from it to their webhooks. */
  allowApiServer(apiServer: NetworkPeer, webhookPorts: number[] = []): void {
    this.allowEgressTo("api-server", apiServer);
    if (webhookPorts.length) this.allowIngressFrom("webhooks", { ...apiServer, ports: webhookPorts });
  }

  /** Controllers that call cloud APIs or pull from the internet over HTTPS. */
  allowHttpsEgress(podLabels: Record<string, string> = {}): void {
    this.allowEgressTo("https", { kind: "cidrs", cidrs: ["0.0.0.0/0"], ports: [443] }, podLabels);
  }

  /** A proxy's egress to pods in every namespace; each backend admits it on its own ports. */
  allowEgressToCluster(name: string): NetworkPolicyV1 {
    return this.policy(`egress-${name}`, {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ namespaceSelector: {} }] }],
    });
  }

  /** Allows pods matching `podLabels` (all pods if empty) to reach a peer. */
  allowEgressTo(name: string, peer: NetworkPeer, podLabels: Record<string, string> = {}): NetworkPolicyV1 {
    const rule: NetworkPolicyV1SpecEgress = { to: peers(peer), ports: ports(peer) };
    return this.policy(`egress-${name}`, {
      podSelector: { matchLabels: podLabels },
      policyTypes: ["Egress"],
      egress: [rule],
    });
  }

  /** Allows a peer to reach pods matching `podLabels` on the given ports. */
  allowIngressFrom(name: string, peer: NetworkPeer, podLabels: Record<string, string> = {}): NetworkPolicyV1 {
    const rule: NetworkPolicyV1SpecIngress = { from: peers(peer), ports: ports(peer) };
    return this.policy(`ingress-${name}`, {
      podSelector: { matchLabels: podLabels },
      policyTypes: ["Ingress"],
      ingress: [rule],
    });
  }

  private policy(name: string, spec: ConstructorParameters<typeof NetworkPolicyV1>[2]["spec"]): NetworkPolicyV1 {
    return new NetworkPolicyV1(this, `np-${name}`, { metadata: { name, namespace: this.ref }, spec });
  }
}

/** The PlatformNamespaces created under `scope` (e.g. a stack), by name. */
export function platformNamespaces(scope: Construct): Map<string, PlatformNamespace> {
  return new Map(
    scope.node
      .findAll()
      .filter((child): child is PlatformNamespace => child instanceof PlatformNamespace)
      .map((ns) => [ns.name, ns]),
  );
}

function peers(peer: NetworkPeer) {
  if (peer.kind === "cidrs") return peer.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
  // "*": any namespace of the cluster.
  if (peer.namespace === "*") return [{ namespaceSelector: {} }];
  return [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.namespace } } }];
}

function ports(peer: NetworkPeer) {
  return peer.ports.map((port) => ({ port: String(port), protocol: "TCP" }));
}

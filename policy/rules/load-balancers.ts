// Load balancers: HTTPS only, a TLS 1.3 policy, invalid headers dropped, deletion protection and
// access logs (Checkov CKV_AWS_2/103/131/150/91). Here the ALBs are made by the AWS Load Balancer
// Controller from Ingress annotations, so each rule reads those as well as aws_lb / aws_lb_listener.
import { protectedTiers } from "../../config/schema";
import {
  allTiers,
  asArray,
  block,
  blocks,
  isTrue,
  parseJson,
  type PolicyFix,
  type PolicyResource,
  type PolicyRule,
} from "../rule";

const annotation = (name: string) => `alb.ingress.kubernetes.io/${name}`;

export const ingressTypes = ["kubernetes_ingress_v1", "kubernetes_ingress", "kubernetes_manifest"];
const lbTypes = ["aws_lb", "aws_alb"];
const listenerTypes = ["aws_lb_listener", "aws_alb_listener"];

/** TLS 1.3 policies with TLS 1.2 as the floor (the -1-0- and -1-1- variants still allow 1.0/1.1). */
export const isModernTlsPolicy = (policy: unknown) =>
  typeof policy === "string" && /^ELBSecurityPolicy-TLS13-1-[23]-/.test(policy);

/** The annotations of an Ingress served by the AWS Load Balancer Controller; undefined for others. */
export function albAnnotations(resource: PolicyResource): Record<string, string> | undefined {
  let meta: Record<string, any> | undefined;
  let className: unknown;
  if (resource.type === "kubernetes_manifest") {
    const manifest = resource.attrs.manifest;
    if (manifest?.kind !== "Ingress") return undefined;
    meta = manifest.metadata;
    className = manifest.spec?.ingressClassName;
  } else {
    meta = block(resource.attrs.metadata);
    className = block(resource.attrs.spec)?.ingress_class_name;
  }
  const annotations: Record<string, string> = meta?.annotations ?? {};
  const isAlb =
    className === "alb" ||
    annotations["kubernetes.io/ingress.class"] === "alb" ||
    Object.keys(annotations).some((k) => k.startsWith(annotation("")));
  return isAlb ? annotations : undefined;
}

/** listen-ports as [protocol, port] pairs; undefined when unset (the controller then listens on HTTP 80). */
function listenPorts(annotations: Record<string, string>): [string, number][] | undefined {
  const parsed = parseJson(annotations[annotation("listen-ports")]);
  if (!parsed) return undefined;
  return asArray<Record<string, number>>(parsed).flatMap((listener) =>
    Object.entries(listener ?? {}).map(([proto, port]) => [proto.toUpperCase(), Number(port)] as [string, number]),
  );
}

/** load-balancer-attributes "k=v,k=v" as a map. */
function lbAttributes(annotations: Record<string, string>): Record<string, string> {
  const text = annotations[annotation("load-balancer-attributes")] ?? "";
  return Object.fromEntries(
    text
      .split(",")
      .map((kv) => kv.trim())
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf("=")).trim(), kv.slice(kv.indexOf("=") + 1).trim()]),
  );
}

const isApplication = (attrs: Record<string, any>) => (attrs.load_balancer_type ?? "application") === "application";

/** A rule over both ALB Ingresses and aws_lb resources; either checker returns a violation or undefined. */
function lbRule(
  id: string,
  title: string,
  message: string,
  fix: PolicyFix,
  errorTiers: PolicyRule["errorTiers"],
  types: readonly string[],
  onIngress: (a: Record<string, string>) => string | undefined,
  onResource: (r: PolicyResource) => string | undefined,
): PolicyRule {
  return {
    id,
    title,
    message,
    fix,
    errorTiers,
    resourceTypes: [...ingressTypes, ...types],
    check: (resource) => {
      if (ingressTypes.includes(resource.type)) {
        const annotations = albAnnotations(resource);
        return annotations ? onIngress(annotations) : undefined;
      }
      return onResource(resource);
    },
  };
}

/** An ALB attribute set to true through the Ingress, or the named aws_lb argument. */
function attributeRule(
  id: string,
  title: string,
  message: string,
  fix: PolicyFix,
  errorTiers: PolicyRule["errorTiers"],
  key: string,
  argument: string,
  applicationOnly: boolean,
): PolicyRule {
  return lbRule(
    id,
    title,
    message,
    fix,
    errorTiers,
    lbTypes,
    (annotations) =>
      lbAttributes(annotations)[key] === "true"
        ? undefined
        : `load-balancer-attributes has ${key}=${lbAttributes(annotations)[key] ?? "unset"}`,
    ({ attrs }) => {
      if (applicationOnly && !isApplication(attrs)) return undefined;
      return isTrue(attrs[argument]) ? undefined : `${argument} is ${attrs[argument] ?? "unset"}`;
    },
  );
}

export const loadBalancerRules: PolicyRule[] = [
  lbRule(
    "LB-001",
    "HTTPS only",
    `listen on HTTPS; plain HTTP only redirects (Ingress: listen-ports with an HTTPS port and ${annotation("ssl-redirect")} set to it; aws_lb_listener: protocol HTTPS, or HTTP with a redirect to HTTPS)`,
    { code: [] },
    allTiers,
    listenerTypes,
    (annotations) => {
      const ports = listenPorts(annotations);
      if (!ports) return "listen-ports unset: the controller listens on HTTP 80 only";
      const https = ports.filter(([protocol]) => protocol === "HTTPS").map(([, port]) => port);
      if (https.length === 0) return "no HTTPS listener in listen-ports";
      const redirect = Number(annotations[annotation("ssl-redirect")]);
      if (ports.some(([protocol]) => protocol === "HTTP") && !https.includes(redirect))
        return `HTTP listener without ssl-redirect to an HTTPS port (ssl-redirect is ${annotations[annotation("ssl-redirect")] ?? "unset"})`;
      return undefined;
    },
    ({ attrs }) => {
      if (attrs.protocol !== "HTTP") return undefined;
      const redirects = blocks(attrs.default_action).every(
        (action) => action.type === "redirect" && block(action.redirect)?.protocol === "HTTPS",
      );
      return redirects && blocks(attrs.default_action).length
        ? undefined
        : "HTTP listener that does not redirect to HTTPS";
    },
  ),
  lbRule(
    "LB-002",
    "Modern TLS policy",
    "use ELBSecurityPolicy-TLS13-1-2-2021-06 or a newer TLS13-1-2 / TLS13-1-3 policy (Ingress: ssl-policy annotation; aws_lb_listener: ssl_policy)",
    { code: [] },
    allTiers,
    listenerTypes,
    (annotations) => {
      if (!listenPorts(annotations)?.some(([protocol]) => protocol === "HTTPS")) return undefined;
      const policy = annotations[annotation("ssl-policy")];
      return isModernTlsPolicy(policy)
        ? undefined
        : `ssl-policy is ${policy ?? "unset (ELBSecurityPolicy-2016-08, TLS 1.0)"}`;
    },
    ({ attrs }) => {
      if (!["HTTPS", "TLS"].includes(attrs.protocol)) return undefined;
      return isModernTlsPolicy(attrs.ssl_policy)
        ? undefined
        : `ssl_policy is ${attrs.ssl_policy ?? "unset (ELBSecurityPolicy-2016-08, TLS 1.0)"}`;
    },
  ),
  attributeRule(
    "LB-003",
    "Invalid header fields dropped",
    "set routing.http.drop_invalid_header_fields.enabled=true (Ingress: load-balancer-attributes; aws_lb: drop_invalid_header_fields = true)",
    { code: [] },
    allTiers,
    "routing.http.drop_invalid_header_fields.enabled",
    "drop_invalid_header_fields",
    true,
  ),
  attributeRule(
    "LB-004",
    "Load balancer deletion protection",
    "set deletion_protection.enabled=true (Ingress: load-balancer-attributes; aws_lb: enable_deletion_protection = true)",
    { config: ["protection.deletionProtection"] },
    protectedTiers,
    "deletion_protection.enabled",
    "enable_deletion_protection",
    false,
  ),
  lbRule(
    "LB-005",
    "Load balancer access logs",
    "set access_logs.s3.enabled=true and access_logs.s3.bucket (Ingress: load-balancer-attributes; aws_lb: access_logs { enabled = true, bucket })",
    { code: [] },
    allTiers,
    lbTypes,
    (annotations) => {
      const attrs = lbAttributes(annotations);
      if (attrs["access_logs.s3.enabled"] !== "true")
        return `access_logs.s3.enabled is ${attrs["access_logs.s3.enabled"] ?? "unset"}`;
      return attrs["access_logs.s3.bucket"] ? undefined : "access_logs.s3.bucket is unset";
    },
    ({ attrs }) => {
      const logs = block(attrs.access_logs);
      // The provider defaults enabled to false even when a bucket is given.
      if (!isTrue(logs?.enabled)) return `access_logs.enabled is ${logs?.enabled ?? "unset"}`;
      return logs!.bucket ? undefined : "access_logs.bucket is unset";
    },
  ),
];

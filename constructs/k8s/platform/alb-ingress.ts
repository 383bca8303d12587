import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { Construct } from "constructs";
import type { ExposedService } from "../workloads/types";

export interface AlbIngressProps {
  readonly services: readonly ExposedService[];
  readonly certificateArn: string;
  readonly accessLogBucket: string;
  readonly accessLogPrefix: string;
  readonly deletionProtection: boolean;
  /** Route 53 zone where each host gets a record pointing at the load balancer. */
  readonly zoneId: string;
  /** Ingress group: every Ingress in it shares one ALB. @default platform */
  readonly groupName?: string;
  /** Makes each host's record the PRIMARY of a Route 53 failover pair, answering while this
   *  health check is healthy (a standby's SECONDARY answers once it is not).
   *  @default none: each host gets a plain CNAME record */
  readonly primaryHealthCheckId?: string;
  /** A standby's routes (see `Takeover`): its load balancer and every record exist from the
   *  start, so that a failover changes no DNS; the probe's answer decides where names resolve.
   *  @default none: this environment's own hosts only */
  readonly takeover?: Takeover;
}

/** How a standby takes over another environment's names with no Route 53 API call at failover. */
export interface Takeover {
  /** The other environment's base domain: each host's first label gets a SECONDARY failover
   *  record under it, in `zoneId`, pointing at this load balancer. */
  readonly domain: string;
  readonly zoneId: string;
  /** The host the other environment's (inverted) health check requests, and the body it looks for. */
  readonly probe: { readonly host: string; readonly body: string };
  /** Answer the probe with `probe.body` (promoted): the health check turns unhealthy, and Route 53
   *  answers the other environment's names with the SECONDARY records. Otherwise 503. */
  readonly answer: boolean;
  /** Hosts under this environment's domain whose services do not run yet (a standby's database
   *  writers): published now, answered 503 until their routes exist. */
  readonly pending: readonly string[];
  /** Namespace of the Ingress that holds the probe and the pending hosts (one that always exists). */
  readonly namespace: string;
}

/** TLS 1.3 (with 1.2 for older clients) on one shared internet-facing ALB; plain HTTP only redirects. */
export const albSslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** One Ingress per exposed service, all in one ALB group, and a DNS record per host. */
export class AlbIngress extends Construct {
  constructor(scope: Construct, id: string, props: AlbIngressProps) {
    super(scope, id);
    const group = props.groupName ?? "platform";
    // Load balancer attributes apply to the whole group: every Ingress states the same ones.
    const lbAttributes = [
      "routing.http.drop_invalid_header_fields.enabled=true",
      `deletion_protection.enabled=${props.deletionProtection}`,
      "access_logs.s3.enabled=true",
      `access_logs.s3.bucket=${props.accessLogBucket}`,
      `access_logs.s3.prefix=${props.accessLogPrefix}`,
    ].join(",");
    const annotations = {
      "alb.ingress.kubernetes.io/group.name": group,
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/certificate-arn": props.certificateArn,
      "alb.ingress.kubernetes.io/ssl-policy": albSslPolicy,
      "alb.ingress.kubernetes.io/load-balancer-attributes": lbAttributes,
    };
    const takeover = props.takeover;
    const theirs = (host: string) => `${host.split(".")[0]}.${takeover!.domain}`;
    const hostname = (ingress: IngressV1) => ingress.status.get(0).loadBalancer.get(0).ingress.get(0).hostname;
    const ingresses: IngressV1[] = [];
    for (const svc of props.services) {
      const name = svc.host.split(".")[0]!;
      const hosts = [svc.host, ...(takeover ? [theirs(svc.host)] : [])];
      const backend = { service: { name: svc.serviceName, port: { number: svc.servicePort } } };
      const ingress = new IngressV1(this, `ingress-${name}`, {
        metadata: {
          name,
          namespace: svc.namespace,
          annotations: {
            ...annotations,
            "alb.ingress.kubernetes.io/healthcheck-path": svc.healthPath,
            "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
          },
        },
        spec: {
          ingressClassName: "alb",
          tls: [{ hosts }],
          rule: hosts.map((host) => ({ host, http: { path: [{ path: "/", pathType: "Prefix", backend }] } })),
        },
        waitForLoadBalancer: true,
        dependsOn: svc.dependsOn?.length ? [...svc.dependsOn] : undefined,
      });
      ingresses.push(ingress);
      if (takeover) continue;
      const primary = props.primaryHealthCheckId
        ? {
            setIdentifier: "primary",
            failoverRoutingPolicy: { type: "PRIMARY" },
            healthCheckId: props.primaryHealthCheckId,
          }
        : {};
      new Route53Record(this, `dns-${name}`, {
        zoneId: props.zoneId,
        name: svc.host,
        type: "CNAME",
        ttl: 60,
        records: [hostname(ingress)],
        ...primary,
      });
    }
    if (!takeover) return;

    // The standby's edge: fixed responses only (no backend), in the same group, so the load
    // balancer and its name exist before any service runs and stay the same across a failover.
    const edge = this.edge(annotations, takeover, ingresses);
    const alb = hostname(edge);
    for (const host of [...props.services.map((service) => service.host), ...takeover.pending]) {
      const name = host.split(".")[0]!;
      new Route53Record(this, `dns-${name}`, {
        zoneId: props.zoneId,
        name: host,
        type: "CNAME",
        ttl: 60,
        records: [alb],
      });
      new Route53Record(this, `takeover-${name}`, {
        zoneId: takeover.zoneId,
        name: theirs(host),
        type: "CNAME",
        ttl: 60,
        records: [alb],
        setIdentifier: "standby",
        failoverRoutingPolicy: { type: "SECONDARY" },
      });
    }
    new Route53Record(this, "takeover-probe", {
      zoneId: takeover.zoneId,
      name: takeover.probe.host,
      type: "CNAME",
      ttl: 60,
      records: [alb],
    });
  }

  /** The Ingress answering the probe, and 503 for pending hosts (theirs and ours). It waits for
   *  every service's Ingress: once it answers the probe, the names move here. */
  private edge(annotations: Record<string, string>, takeover: Takeover, after: IngressV1[]): IngressV1 {
    const fixed = (statusCode: string, messageBody: string) =>
      JSON.stringify({
        type: "fixed-response",
        fixedResponseConfig: { contentType: "text/plain", statusCode, messageBody },
      });
    const action = (name: string) => ({ service: { name, port: { name: "use-annotation" } } });
    const pendingHosts = takeover.pending.flatMap((host) => [host, `${host.split(".")[0]}.${takeover.domain}`]);
    return new IngressV1(this, "edge", {
      metadata: {
        name: "edge",
        namespace: takeover.namespace,
        annotations: {
          ...annotations,
          "alb.ingress.kubernetes.io/actions.takeover-probe": takeover.answer
            ? fixed("200", takeover.probe.body)
            : fixed("503", "standby: not serving"),
          ...(pendingHosts.length
            ? { "alb.ingress.kubernetes.io/actions.pending": fixed("503", "standby: not serving until a failover") }
            : {}),
        },
      },
      spec: {
        ingressClassName: "alb",
        tls: [{ hosts: [takeover.probe.host, ...pendingHosts] }],
        rule: [
          {
            host: takeover.probe.host,
            http: { path: [{ path: "/", pathType: "Prefix", backend: action("takeover-probe") }] },
          },
          ...pendingHosts.map((host) => ({
            host,
            http: { path: [{ path: "/", pathType: "Prefix", backend: action("pending") }] },
          })),
        ],
      },
      waitForLoadBalancer: true,
      dependsOn: after.length ? after : undefined,
    });
  }
}

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
  /** Ingress group: every Ingress in it shares one ALB. */
  readonly groupName?: string;
  /** Makes each host's record the PRIMARY of a Route 53 failover pair, answering while this
   *  health check is healthy (a standby's SECONDARY answers once it is not). */
  readonly primaryHealthCheckId?: string;
  /** Another environment's names this load balancer also serves (a promoted standby): each host's
   *  first label under `domain` gets a rule and a SECONDARY failover record in `zoneId`, and
   *  `probe.host` answers 200 with `probe.body`, which turns that environment's primary check
   *  unhealthy so that its names resolve here. */
  readonly takeover?: { readonly domain: string; readonly zoneId: string; readonly probe: { readonly host: string; readonly body: string } };
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
    const takeover = props.takeover;
    const ingresses: IngressV1[] = [];
    const secondaries: Route53Record[] = [];
    for (const [i, svc] of props.services.entries()) {
      const name = svc.host.split(".")[0]!;
      const hosts = [svc.host, ...(takeover ? [`${name}.${takeover.domain}`] : [])];
      const backend = { service: { name: svc.serviceName, port: { number: svc.servicePort } } };
      // The takeover probe has no backend: a fixed response, on the first Ingress of the group.
      const probe = takeover && i === 0 ? takeover.probe : undefined;
      const ingress = new IngressV1(this, `ingress-${name}`, {
        metadata: {
          name,
          namespace: svc.namespace,
          annotations: {
            "alb.ingress.kubernetes.io/group.name": group,
            "alb.ingress.kubernetes.io/scheme": "internet-facing",
            "alb.ingress.kubernetes.io/target-type": "ip",
            "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
            "alb.ingress.kubernetes.io/ssl-redirect": "443",
            "alb.ingress.kubernetes.io/certificate-arn": props.certificateArn,
            "alb.ingress.kubernetes.io/ssl-policy": albSslPolicy,
            "alb.ingress.kubernetes.io/load-balancer-attributes": lbAttributes,
            "alb.ingress.kubernetes.io/healthcheck-path": svc.healthPath,
            "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
            ...(probe
              ? { "alb.ingress.kubernetes.io/actions.takeover-probe": JSON.stringify({ type: "fixed-response", fixedResponseConfig: { contentType: "text/plain", statusCode: "200", messageBody: probe.body } }) }
              : {}),
          },
        },
        spec: {
          ingressClassName: "alb",
          tls: [{ hosts: [...hosts, ...(probe ? [probe.host] : [])] }],
          rule: [
            ...hosts.map((host) => ({ host, http: { path: [{ path: "/", pathType: "Prefix", backend }] } })),
            ...(probe ? [{ host: probe.host, http: { path: [{ path: "/", pathType: "Exact", backend: { service: { name: "takeover-probe", port: { name: "use-annotation" } } } }] } }] : []),
          ],
        },
        waitForLoadBalancer: true,
        dependsOn: svc.dependsOn?.length ? [...svc.dependsOn] : undefined,
      });
      ingresses.push(ingress);
      const alb = ingress.status.get(0).loadBalancer.get(0).ingress.get(0).hostname;
      const primary = props.primaryHealthCheckId ? { setIdentifier: "primary", failoverRoutingPolicy: { type: "PRIMARY" }, healthCheckId: props.primaryHealthCheckId } : {};
      new Route53Record(this, `dns-${name}`, { zoneId: props.zoneId, name: svc.host, type: "CNAME", ttl: 60, records: [alb], ...primary });
      if (takeover) {
        secondaries.push(new Route53Record(this, `takeover-${name}`, {
          zoneId: takeover.zoneId,
          name: hosts[1]!,
          type: "CNAME",
          ttl: 60,
          records: [alb],
          setIdentifier: "standby",
          failoverRoutingPolicy: { type: "SECONDARY" },
        }));
      }
    }
    if (takeover) {
      // Published last: once it answers, the names move here, so every rule and record must exist.
      new Route53Record(this, "takeover-probe", {
        zoneId: takeover.zoneId,
        name: takeover.probe.host,
        type: "CNAME",
        ttl: 60,
        records: [ingresses[0]!.status.get(0).loadBalancer.get(0).ingress.get(0).hostname],
        dependsOn: [...ingresses, ...secondaries],
      });
    }
  }
}

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
    for (const svc of props.services) {
      const name = svc.host.split(".")[0]!;
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
          },
        },
        spec: {
          ingressClassName: "alb",
          tls: [{ hosts: [svc.host] }],
          rule: [
            {
              host: svc.host,
              http: { path: [{ path: "/", pathType: "Prefix", backend: { service: { name: svc.serviceName, port: { number: svc.servicePort } } } }] },
            },
          ],
        },
        waitForLoadBalancer: true,
      });
      new Route53Record(this, `dns-${name}`, {
        zoneId: props.zoneId,
        name: svc.host,
        type: "CNAME",
        ttl: 60,
        records: [ingress.status.get(0).loadBalancer.get(0).ingress.get(0).hostname],
      });
    }
  }
}

// DNS failover from an environment to its standby, decided by the standby alone. The environment's
// records are the PRIMARY of Route 53 failover pairs, healthy while the check below is; a promoted
// standby adds the SECONDARY records and starts answering the takeover probe, which turns the
// check unhealthy: the names then resolve to the standby, with no change to the environment itself
// (it may be down) and no flapping back when it returns, until the standby stops answering.
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Construct } from "constructs";

/** The host under `domain` that a standby serving `domain`'s names answers, and what it answers. */
export function takeoverProbe(domain: string): { readonly host: string; readonly body: string } {
  return { host: `takeover.${domain}`, body: `standby serves ${domain}` };
}

export interface TakeoverHealthCheckProps {
  /** The base domain whose names a standby may take over. */
  readonly domain: string;
  /** Name tag of the health check. */
  readonly name: string;
}

/** Healthy until a standby answers `takeoverProbe(domain)`: an inverted HTTPS string-match check
 *  (no record, no answer or another body all count as healthy). */
export class TakeoverHealthCheck extends Construct {
  readonly healthCheck: Route53HealthCheck;

  constructor(scope: Construct, id: string, props: TakeoverHealthCheckProps) {
    super(scope, id);
    const probe = takeoverProbe(props.domain);
    this.healthCheck = new Route53HealthCheck(this, "check", {
      type: "HTTPS_STR_MATCH",
      fqdn: probe.host,
      port: 443,
      resourcePath: "/",
      searchString: probe.body,
      enableSni: true,
      invertHealthcheck: true,
      // About 90 s from the first answer to the switch; checks run from every checker region.
      failureThreshold: 3,
      requestInterval: 30,
      tags: { Name: props.name },
    });
  }
}

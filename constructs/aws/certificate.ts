import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { TerraformIterator } from "cdktf";
import { Construct } from "constructs";

export interface CertificateProps {
  /** The platform's base domain; the certificate also covers every host directly under it. */
  readonly domain: string;
  /** Public Route 53 zone that holds the domain. */
  readonly zone: string;
  /** Its id: given, the zone is not looked up (no Route 53 control-plane call at plan time).
   *  @default looked up by the zone's name (a Route 53 data source) */
  readonly zoneId?: string;
  /** Further base domains covered the same way, validated by records their own environment owns:
   *  a standby's certificate also covers its source's names, issued long before a failover.
   *  @default none: only `domain` and its direct subdomains */
  readonly alsoCovers?: readonly { readonly domain: string }[];
}

/** A DNS-validated ACM certificate for `<domain>` and `*.<domain>`, for the shared load balancer. */
export class Certificate extends Construct {
  readonly certificate: AcmCertificate;
  readonly validation: AcmCertificateValidation;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    const also = props.alsoCovers ?? [];
    const zoneId =
      props.zoneId ?? new DataAwsRoute53Zone(this, "zone", { name: props.zone, privateZone: false }).zoneId;
    this.certificate = new AcmCertificate(this, "cert", {
      domainName: props.domain,
      subjectAlternativeNames: [
        `*.${props.domain}`,
        ...also.flatMap((alternative) => [alternative.domain, `*.${alternative.domain}`]),
      ],
      validationMethod: "DNS",
      keyAlgorithm: "EC_prime256v1",
      lifecycle: { createBeforeDestroy: true },
    });
    // One validation record per distinct name (the apex and the wildcard share one).
    const options = TerraformIterator.fromComplexList(this.certificate.domainValidationOptions, "domain_name");
    const records = new Route53Record(this, "validation-record", {
      forEach: options,
      zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 300,
      allowOverwrite: true,
    });
    // Keys must be known at plan time. cdktf's iterator writes tolist(set), and a set holding
    // unknown values (a new certificate's records) converts to an unknown list: the first plan then
    // fails with "Invalid for_each argument". Iterating the set itself keeps the names known.
    // ACM validates a name with one record per account, valid in every region: the names of
    // `alsoCovers` are validated by their own environment's record, which this certificate must
    // not own (destroying it here would stop that environment's renewals).
    const skip = also.flatMap((alternative) => [alternative.domain, `*.${alternative.domain}`]);
    const unless = skip.length ? ` if !contains(${JSON.stringify(skip)}, val.domain_name)` : "";
    records.addOverride(
      "for_each",
      `\${{ for val in ${this.certificate.fqn}.domain_validation_options : val.domain_name => val${unless} }}`,
    );
    this.validation = new AcmCertificateValidation(this, "validation", { certificateArn: this.certificate.arn });
    this.validation.addOverride("validation_record_fqdns", `\${[for r in ${records.fqn} : r.fqdn]}`);
  }
}

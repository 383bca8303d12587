// Small AWS naming helpers shared by constructs and stacks.

export function partitionOf(region: string): string {
  return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** Availability zones a..f of a region, the first `count`. */
export function availabilityZones(region: string, count: number): string[] {
  return "abcdef"
    .slice(0, count)
    .split("")
    .map((letter) => `${region}${letter}`);
}

/** An IAM policy document as the JSON text Terraform expects; tokens inside resolve at synth. */
export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Record<string, string | string[]> | "*";
  Action: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** Trust policy letting one AWS service assume a role. */
export function serviceTrust(service: string, actions: string[] = ["sts:AssumeRole"]): string {
  return policyDocument([{ Effect: "Allow", Principal: { Service: service }, Action: actions }]);
}

/** Elastic Load Balancing's log-delivery accounts in Regions opened before August 2022; newer
 *  Regions deliver as the logdelivery.elasticloadbalancing.amazonaws.com service principal. */
const elbLogAccounts: Record<string, string> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-south-1": "718504428378",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "eu-south-1": "635631232127",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
};

export function elbLogPrincipal(region: string): Record<string, string> {
  const account = elbLogAccounts[region];
  return account
    ? { AWS: `arn:${partitionOf(region)}:iam::${account}:root` }
    : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
}

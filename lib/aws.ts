// Small AWS naming helpers shared by constructs and stacks.

export function partitionOf(region: string): string {
  return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** Availability zones a..f of a region, the first `count`. */
export function availabilityZones(region: string, count: number): string[] {
  return "abcdef".slice(0, count).split("").map((l) => `${region}${l}`);
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
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** Trust policy letting one AWS service assume a role. */
export function serviceTrust(service: string, actions: string[] = ["sts:AssumeRole"]): string {
  return policyDocument([{ Effect: "Allow", Principal: { Service: service }, Action: actions }]);
}

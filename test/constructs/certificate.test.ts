import { describe, expect, it } from "vitest";
import { Certificate } from "../../constructs/aws/certificate";
import { resources, synthConstruct } from "../helpers";

describe("Certificate", () => {
  it("keys its validation records by name, iterating the set itself so the keys are known at the first plan", () => {
    const stack = synthConstruct(
      (scope) => new Certificate(scope, "cert", { domain: "data.test.example", zone: "test.example" }),
    );
    const record = resources(stack, "aws_route53_record")[0]!;
    // tolist() of a set with unknown elements is wholly unknown: terraform plan rejects such a for_each.
    expect(record.for_each).not.toContain("tolist(");
    expect(record.for_each).toMatch(
      /^\$\{\{ for val in aws_acm_certificate\.[\w-]+\.domain_validation_options : val\.domain_name => val \}\}$/,
    );
  });
});

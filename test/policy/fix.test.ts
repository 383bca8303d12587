// A violation's text names the rule, the resource, the message, what to change and how to waive it.
import { describe, expect, it } from "vitest";
import { allRules, violationText, type PolicyRule } from "../../policy";
import { fixText } from "../../policy/fix";

describe("policy violation text", () => {
  it("words a configuration fix, a code fix and both", () => {
    expect(fixText({ config: ["database.multiAz"] })).toBe(
      "To change: database.multiAz in the configuration of the environment.",
    );
    expect(fixText({ code: [] }, "constructs/aws/postgres.ts")).toBe(
      "To change: no configuration key decides it; the code in constructs/aws/postgres.ts.",
    );
    expect(fixText({ code: ["lib/quantity.ts"] }, "constructs/k8s/workloads/dremio.ts")).toBe(
      "To change: no configuration key decides it; the code in constructs/k8s/workloads/dremio.ts, lib/quantity.ts.",
    );
    expect(fixText({ code: [] })).toMatch(
      /the code of the construct that declares it \(docs\/address-map\.md names its file\)/,
    );
    expect(fixText({ config: ["chartMirror"], code: ["config/versions.ts"] })).toBe(
      "To change: chartMirror in the configuration of the environment, or the code in config/versions.ts.",
    );
    expect(
      fixText(
        { config: ["standbyOf"], of: "a standby environment that mirrors this one", code: [] },
        "constructs/aws/data-lake.ts",
      ),
    ).toBe(
      "To change: standbyOf in the configuration of a standby environment that mirrors this one, or the code in constructs/aws/data-lake.ts.",
    );
  });

  it("a violation's text names rule, resource, message, detail, what to change and the waiver", () => {
    const rule = allRules.find((candidate) => candidate.id === "RDS-003") as PolicyRule;
    const violation = { address: "aws_db_instance.postgres", detail: "multi_az is false", level: "error" as const };
    expect(violationText(rule, violation)).toBe(
      "[RDS-003] aws_db_instance.postgres: set multi_az = true — multi_az is false. To change: database.multiAz in the configuration of the environment. " +
        "Or waive it with a reason in the environment's policy.waivers (rule RDS-003, address aws_db_instance.postgres).",
    );
    expect(violationText(rule, { ...violation, level: "waived", waiver: "a reason given" })).toMatch(
      /\. To change: database\.multiAz in the configuration of the environment\. \(waived: a reason given\)$/,
    );
  });
});

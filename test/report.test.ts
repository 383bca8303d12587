import type { StackReport } from "../policy/aspect";
import { beforeAll, describe, expect, it } from "vitest";
import {
  compareReports,
  countRows,
  environmentReport,
  helmReplicaPaths,
  policyByEnvironment,
  renderReport,
  renderSideBySide,
  type EnvironmentReport,
} from "../scripts/report";
import { resourceCounts, type SynthesizedStack } from "../scripts/lib/synthesized";
import { sharedStacks } from "./helpers";

let stacks: SynthesizedStack[];
let staging: EnvironmentReport;
let prod: EnvironmentReport;
beforeAll(() => {
  stacks = sharedStacks();
  staging = environmentReport(stacks, "staging");
  prod = environmentReport(stacks, "prod");
});

const value = (report: EnvironmentReport, section: string, key: string) =>
  report.rows.find((row) => row.section === section && row.key === key)?.value;

describe("npm run report", () => {
  it("counts resources by type for a known stack, sorted, with a total", () => {
    const foundation = stacks.find((stack) => stack.id === "prod-foundation")!;
    const rows = countRows([foundation]);
    const counts = Object.fromEntries(rows.map((row) => [row.key, row.value]));
    expect(counts).toMatchObject({
      aws_db_instance: "1",
      aws_eks_cluster: "1",
      aws_eks_node_group: "1",
      aws_s3_bucket: "6",
      aws_subnet: "9",
      aws_nat_gateway: "3",
    });
    const types = rows.slice(0, -1).map((row) => row.key);
    expect(types).toEqual([...types].sort());
    const total = Object.values(foundation.json.resource ?? {}).reduce((sum, all) => sum + Object.keys(all).length, 0);
    expect(rows.at(-1)).toEqual({ section: "resources", key: "total", value: String(total) });
    // An environment's counts add up its stacks'.
    const envTotal = stacks
      .filter((stack) => stack.environment === "prod")
      .flatMap((stack) => resourceCounts(stack.json))
      .reduce((sum, [, count]) => sum + count, 0);
    expect(value(prod, "resources", "total")).toBe(String(envTotal));
  });

  it("lists prod's node group with instance types and min/desired/max", () => {
    expect(prod.rows.filter((row) => row.section === "node groups")).toEqual([
      {
        section: "node groups",
        key: "general",
        value: "r7i.2xlarge, r6i.2xlarge · ON_DEMAND · min 3 desired 5 max 10",
      },
    ]);
    expect(renderReport(prod)).toMatch(
      /^ {4}general +r7i\.2xlarge, r6i\.2xlarge · ON_DEMAND · min 3 desired 5 max 10$/m,
    );
  });

  it("reports the database class: RDS class and multi-AZ, the replica's source, or CloudNativePG instances", () => {
    expect(value(prod, "database", "class")).toBe("db.r6g.xlarge");
    expect(value(prod, "database", "multi-AZ")).toBe("yes");
    expect(value(staging, "database", "class")).toBe("db.r6g.large");
    expect(value(staging, "database", "multi-AZ")).toBe("no");
    expect(value(environmentReport(stacks, "dr"), "database", "replica of")).toBe("odp-prod (us-east-1)");
    const dev = environmentReport(stacks, "dev");
    expect(value(dev, "database", "class")).toBe("CloudNativePG (in-cluster)");
    expect(value(dev, "database", "instances")).toBe("1");
  });

  it("reports replicas from Helm values, manifests, the Superset CR and HPAs", () => {
    expect(value(prod, "replicas", "helm airbyte: server.replicaCount")).toBe("2");
    expect(value(prod, "replicas", "helm elasticsearch: nodeSets[data].count")).toBe("3");
    expect(value(prod, "replicas", "StatefulSet dremio/dremio-executor")).toBe("3");
    expect(value(prod, "replicas", "Superset superset/superset: web")).toBe("2");
    expect(value(prod, "replicas", "helm airbyte: worker.replicaCount")).toBe("2");
    expect(value(prod, "replicas", "HPA dremio/dremio-executor")).toMatch(/^min 3 max 6 /);
    expect(
      helmReplicaPaths({
        replicaCount: 2,
        webhook: { replicas: 1, enabled: true },
        pools: [{ name: "p0", servers: 4 }],
        other: 7,
      }),
    ).toEqual([
      ["replicaCount", 2],
      ["webhook.replicas", 1],
      ["pools[p0].servers", 4],
    ]);
  });

  it("prints the policy summary of each environment, or says it was not checked", () => {
    expect(renderReport(prod).split("\n").at(-1)).toBe("policy: not checked");
    const stack = (id: string, status: "pass" | "warn"): StackReport => ({
      stack: id,
      tier: "production",
      results: [
        {
          rule: { id: "X-1" } as never,
          checked: 2,
          violations: status === "warn" ? [{ address: "a.b", detail: "d", level: "warning" }] : [],
        },
      ],
      waivers: [],
    });
    const summary = policyByEnvironment([
      stack("prod-foundation", "pass"),
      stack("prod-apps", "warn"),
      stack("dev-apps", "pass"),
    ]);
    expect(summary.get("prod")).toBe("2 rule checks: 1 pass, 0 fail, 1 warn, 0 waived");
    expect(summary.get("dev")).toBe("1 rule checks: 1 pass, 0 fail, 0 warn, 0 waived");
  });

  it("puts staging and prod side by side, marking differing rows and only those", () => {
    const text = renderSideBySide([staging, prod]);
    const lines = text.split("\n");
    const row = (key: string) => lines.find((line) => line.slice(2).startsWith(`${key} `))!;
    expect(row("class")).toMatch(/^≠ class +db\.r6g\.large +db\.r6g\.xlarge$/);
    expect(row("multi-AZ").startsWith("≠ ")).toBe(true);
    expect(row("engine")).toMatch(/^ {2}engine +postgres \S+ +postgres \S+$/);
    expect(row("aws_vpc")).toMatch(/^ {2}aws_vpc +1 +1$/);
    expect(row("aws_nat_gateway").startsWith("≠ ")).toBe(true);
    // Aligned columns: every value of a column starts where its header does.
    const header = lines[0]!;
    expect(row("class").indexOf("db.r6g.large")).toBe(header.indexOf("staging"));
    expect(row("class").indexOf("db.r6g.xlarge")).toBe(header.indexOf("prod"));
    expect(row("aws_vpc").lastIndexOf("1")).toBe(header.indexOf("prod"));
    const compared = compareReports([staging, prod]);
    expect(compared.find((comparedRow) => comparedRow.key === "class")).toMatchObject({
      values: ["db.r6g.large", "db.r6g.xlarge"],
      differs: true,
    });
    expect(compared.find((comparedRow) => comparedRow.key === "aws_vpc")).toMatchObject({
      values: ["1", "1"],
      differs: false,
    });
    expect(compared.find((comparedRow) => comparedRow.key === "aws_s3_bucket_object_lock_configuration")).toMatchObject(
      {
        values: ["—", "1"],
        differs: true,
      },
    );
  });

  it("is deterministic", () => {
    expect(renderSideBySide([environmentReport(stacks, "staging"), environmentReport(stacks, "prod")])).toBe(
      renderSideBySide([staging, prod]),
    );
    expect(renderReport(environmentReport(stacks, "prod"))).toBe(renderReport(prod));
  });
});

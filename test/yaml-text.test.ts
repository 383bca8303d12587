// The Helm values emitter must read back as exactly the values given, under YAML 1.1 (Helm's
// parser) and 1.2, for every committed release and for the strings YAML is subtle about.
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadOrThrow } from "../config";
import { HelmChart } from "../constructs/k8s/helm-chart";
import { toYaml } from "../lib/yaml-text";
import { buildStacks } from "../stacks";
import { fixtureInputs } from "./fixtures/environments";

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const readBack = (text: string, version: "1.1" | "1.2") => parse(text, { version });

describe("toYaml", () => {
  const app = Testing.app(); // a directory in the run's scratch space, which is removed with it
  buildStacks(app, loadOrThrow(fixtureInputs));
  const charts = app.node.findAll().filter((construct): construct is HelmChart => construct instanceof HelmChart);

  it("covers the committed releases", () => expect(charts.length).toBeGreaterThan(20));

  it.each(charts.map((chart) => [`${TerraformStack.of(chart).node.id}/${chart.node.id}`, chart] as const))(
    "%s reads back unchanged",
    (_id, chart) => {
      const text = toYaml(chart.values);
      for (const version of ["1.1", "1.2"] as const) expect(readBack(text, version)).toEqual(plain(chart.values));
    },
  );

  const tricky = [
    "",
    " ",
    " leading",
    "trailing ",
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "n",
    "true",
    "False",
    "null",
    "~",
    "NULL",
    "1",
    "1.0",
    "-1",
    "0x1F",
    "0o17",
    "017",
    "1e3",
    ".inf",
    "-.Inf",
    ".nan",
    "2001-12-14",
    "12:30:00",
    "1_000",
    "a: b",
    "a:b",
    "#c",
    "a #c",
    "- x",
    "-",
    "?",
    ":",
    "*a",
    "&a",
    "!tag",
    "%x",
    "@x",
    "`x",
    "|",
    ">",
    "'q'",
    '"q"',
    "{a: 1}",
    "[1]",
    "<<",
    "=",
    "a\tb",
    "tab\tand\nnewline",
    "line\n",
    "line",
    "two\nlines",
    "keep\n\n",
    "\nlead",
    "  indented\nblock",
    "white \nspace",
    "only\n   \nspaces",
    "cr\r\nlf",
    "unicode é ✓",
    "sep\u2028x",
    "${var.x}",
    "%{ if x }",
    "back\\slash",
    "nul\u0000",
  ];
  it.each(tricky.map((sample) => [JSON.stringify(sample), sample] as const))(
    "string %s reads back unchanged as a value and a key",
    (_label, sample) => {
      const values = { v: sample, [sample]: 1, list: [sample, { k: sample }], nested: { deeper: [[sample]] } };
      for (const version of ["1.1", "1.2"] as const) expect(readBack(toYaml(values), version)).toEqual(values);
    },
  );

  it("writes numbers, booleans, null and empty collections", () => {
    const values = {
      n: 3,
      f: 0.25,
      neg: -7,
      t: true,
      f2: false,
      z: null,
      e: {},
      l: [],
      mixed: [1, "a", null, [], {}, [[1, 2], []]],
    };
    for (const version of ["1.1", "1.2"] as const) expect(readBack(toYaml(values), version)).toEqual(values);
  });

  it("keeps multi-line text readable as a literal block", () => {
    expect(toYaml({ config: "a: 1\nb: 2\n" })).toBe("config: |\n  a: 1\n  b: 2\n");
  });

  it("quotes a Terraform expression, so whatever it resolves to stays a string", () => {
    const text = toYaml({ vpcId: "${data.aws_vpc.vpc.id}", list: ["${var.x}"], conf: "a: ${var.x}\n" });
    expect(text).toBe('vpcId: "${data.aws_vpc.vpc.id}"\nlist:\n  - "${var.x}"\nconf: |\n  a: ${var.x}\n');
    for (const resolved of ["0777", "on", "1e3", "null", "a: b", "#x"]) {
      const applied = text.replace("${data.aws_vpc.vpc.id}", resolved);
      for (const version of ["1.1", "1.2"] as const) expect(readBack(applied, version).vpcId).toBe(resolved);
    }
  });

  it("keeps a cdktf token through synthesis as its Terraform expression", () => {
    const out = Testing.synthScope((scope) => {
      const vpc = new TerraformVariable(scope, "vpc", { type: "string" });
      new HelmChart(scope, "chart", {
        releaseName: "x",
        namespace: "x",
        source: { repository: "https://charts.fixture.example", chart: "x", version: "1.0.0" },
        values: { vpcId: vpc.stringValue },
      });
    });
    const release = Object.values(JSON.parse(out).resource.helm_release)[0] as { values: string[] };
    expect(release.values).toEqual(['vpcId: "${var.vpc}"\n']);
  });

  it("refuses values YAML cannot carry", () => {
    expect(() => toYaml({ x: Number.NaN })).toThrow(/cannot write NaN/);
    expect(() => toYaml({ f: () => 1 })).toThrow(/cannot write a function/);
  });
});

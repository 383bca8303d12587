import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  docsDir,
  drift,
  environmentModel,
  renderAll,
  renderMarkdown,
  run,
  type EnvironmentModel,
} from "../scripts/diagram";
import type { SynthesizedStack } from "../scripts/lib/synthesized";
import { sharedStacks } from "./helpers";

let stacks: SynthesizedStack[];
let pages: Map<string, string>;
beforeAll(() => {
  stacks = sharedStacks();
  pages = renderAll(stacks);
});

const page = (env: string) => pages.get(`${env}.md`)!;
const mermaid = (md: string) => md.split("```mermaid\n")[1]!.split("\n```")[0]!;

describe("npm run diagram", () => {
  it("committed docs/environments match what your configuration generates (run `npm run generate`)", () => {
    expect(drift(renderAll(sharedStacks("user")), docsDir)).toEqual([]);
  });

  it("renders a page per environment", () => {
    expect([...pages.keys()].sort()).toEqual(["dev.md", "dr.md", "prod.md", "staging.md"]);
  });

  it("is deterministic and carries no timestamp", () => {
    expect(renderAll(stacks)).toEqual(pages);
    for (const content of pages.values()) expect(content).not.toMatch(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/);
  });

  it("draws each environment's stacks as subgraphs in apply order, linked by their dependencies", () => {
    const text = mermaid(page("prod"));
    const at = (id: string) => text.indexOf(`subgraph ${id} `);
    expect(at("prod_foundation")).toBeGreaterThan(0);
    expect(at("prod_foundation")).toBeLessThan(at("prod_addons"));
    expect(at("prod_addons")).toBeLessThan(at("prod_apps"));
    expect(text).toContain("prod_foundation ==> prod_addons");
    expect(text).toContain("prod_addons ==> prod_apps");
    const dev = mermaid(page("dev"));
    expect(dev).not.toContain("dev_foundation");
    expect(dev).toContain("dev_addons ==> dev_apps");
  });

  it("shows prod's lake zones, RDS class, workloads and hosts", () => {
    const md = page("prod");
    for (const zone of ["bronze", "silver", "gold"])
      expect(md).toContain(`S3 ${zone}<br/>odp-111122223333-prod-${zone}`);
    expect(md).toContain("db.r6g.xlarge, multi-AZ");
    for (const workload of [
      "airbyte",
      "dremio-coordinator",
      "dremio-executor",
      "zookeeper",
      "superset",
      "dbt",
      "elasticsearch",
    ]) {
      expect(md).toMatch(new RegExp(`\\["${workload}<br/>`));
    }
    for (const host of ["airbyte", "superset", "dremio"]) expect(md).toContain(`(["${host}.data.fixture.example"])`);
    // Each host reaches the workload behind it.
    expect(mermaid(md)).toContain(
      "prod_apps__host__dremio_data_fixture_example --> prod_apps__StatefulSet__dremio__dremio_coordinator",
    );
    expect(mermaid(md)).toContain(
      "prod_apps__host__superset_data_fixture_example --> prod_apps__Superset__superset__superset",
    );
    expect(page("staging")).toContain("db.r6g.large, single-AZ");
  });

  it("shows dr replicating prod's database, lake buckets and snapshots", () => {
    const model: EnvironmentModel = environmentModel(stacks, "dr");
    const db = model.replication.filter((link) => link.kind === "database");
    expect(db).toHaveLength(1);
    expect(db[0]).toMatchObject({ sourceStack: "prod-foundation", targetStack: "dr-foundation" });
    const buckets = model.replication.filter((link) => link.kind === "bucket");
    expect(buckets.map((link) => [link.sourceStack, link.source.name, link.targetStack, link.target.name])).toEqual(
      ["bronze", "gold", "platform", "silver"].map((zone) => ["prod-foundation", zone, "dr-foundation", zone]),
    );
    expect(buckets.find((link) => link.source.name === "platform")!.label).toBe(
      "S3 replication of elasticsearch/snapshots/prod/, 15 min",
    );
    const text = mermaid(page("dr"));
    expect(text).toContain('subgraph prod_foundation ["prod-foundation (us-east-1): replication source"]');
    expect(text).toMatch(/prod_foundation__db__\w+ -\.->\|"RDS read replica"\| dr_foundation__db__\w+/);
    for (const zone of ["bronze", "silver", "gold"]) {
      expect(text).toMatch(
        new RegExp(
          `prod_foundation__s3__lake_${zone} -\\.->\\|"S3 replication, 15 min"\\| dr_foundation__s3__lake_${zone}`,
        ),
      );
    }
    expect(page("dr")).toContain(
      "replicates the database (RDS read replica) and the bronze, gold, platform and silver buckets (S3 replication) from prod-foundation",
    );
    // prod's page shows the same replication, towards its standby.
    expect(mermaid(page("prod"))).toContain('subgraph dr_foundation ["dr-foundation (us-west-2): standby"]');
  });

  it("shows dev's in-cluster data stores and gateway hosts", () => {
    const md = page("dev");
    expect(md).toContain('dev_apps__helm__postgres__postgres[("postgres<br/>CloudNativePG');
    expect(md).toContain("buckets airbyte, bronze, gold, platform, silver");
    expect(md).toContain('(["airbyte.odp.localtest.me"])');
    expect(mermaid(md)).not.toContain("-.->");
  });

  it("--check fails on a changed, missing or stale page and passes once written", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "diagram-")), "environments");
    expect(run(["--check"], stacks, dir).code).toBe(1);
    expect(run([], stacks, dir).code).toBe(0);
    expect(run(["--check"], stacks, dir)).toMatchObject({ code: 0 });
    writeFileSync(
      join(dir, "prod.md"),
      readFileSync(join(dir, "prod.md"), "utf8").replace("db.r6g.xlarge", "db.t3.micro"),
    );
    writeFileSync(join(dir, "gone.md"), "# gone\n");
    const check = run(["--check"], stacks, dir);
    expect(check.code).toBe(1);
    expect(check.lines).toEqual(
      expect.arrayContaining([`differs: ${join(dir, "prod.md")}`, `stale: ${join(dir, "gone.md")}`]),
    );
    expect(run([], stacks, dir).code).toBe(0);
    expect(run(["--check"], stacks, dir).code).toBe(0);
  });

  it("renders a page from a model alone", () => {
    const md = renderMarkdown(environmentModel(stacks, "staging"));
    expect(md.startsWith("# staging environment\n")).toBe(true);
    expect(md).toBe(page("staging"));
  });
});

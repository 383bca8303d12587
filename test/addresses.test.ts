import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { protectedTiers } from "../config/schema";
import { versions } from "../config/versions";
import { parseHelmValues } from "../lib/secret-scan";
import {
  dataCharts,
  deletionProtectionTypes,
  mustPreventDestroy,
  resourcesOf,
  statefulAddresses,
} from "../lib/stateful";
import { environments, synthAll, type Synthesized } from "./helpers";

// The Terraform address of every stateful resource, per stack. A changed address makes Terraform
// destroy and recreate: rename only with a moved block (see README), then update this file.
const lockFile = join(__dirname, "addresses.lock.json");
const lock = JSON.parse(readFileSync(lockFile, "utf8")) as Record<string, string[]>;

function movedFrom(stack: Synthesized): Set<string> {
  const moved = ((stack as Record<string, unknown>).moved ?? []) as { from: string; to: string }[];
  return new Set(moved.map((move) => move.from));
}

const tierOf = new Map(environments().map((env) => [env.name, env.tier]));

/** Storage class names that volume claims ask for, in manifests and in Helm values. */
function claimedClasses(stack: Synthesized): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== "object") return;
    for (const [k, child] of Object.entries(value)) {
      // storageClassName in claim templates; CloudNativePG's storage.storageClass.
      if ((k === "storageClassName" || k === "storageClass") && typeof child === "string") out.push(child);
      walk(child);
    }
  };
  for (const [type, , attrs] of resourcesOf(stack)) {
    if (type === "kubernetes_manifest") walk(attrs.manifest);
    if (type === "helm_release") walk(parseHelmValues(attrs.values));
  }
  return out;
}

describe("address lock", () => {
  it("covers every synthesized stack", () => {
    expect(Object.keys(lock).sort()).toEqual([...synthAll("user").keys()].sort());
  });

  // Your configuration's stacks against your lock file (npm run lock-addresses -- --write adds).
  for (const [id, stack] of synthAll("user")) {
    describe(id, () => {
      it("keeps every locked address, or moves it with a moved block", () => {
        const present = new Set(statefulAddresses(stack));
        const moved = movedFrom(stack);
        const lost = (lock[id] ?? []).filter((address) => !present.has(address) && !moved.has(address));
        expect(lost, `stateful resources would be destroyed: ${lost.join(", ")}`).toEqual([]);
      });

      it("lists every stateful address in the lock file", () => {
        const unlocked = statefulAddresses(stack).filter((address) => !(lock[id] ?? []).includes(address));
        expect(unlocked, `add these to test/addresses.lock.json after review`).toEqual([]);
      });

      const tier = tierOf.get(id.replace(/-(foundation|addons|apps)$/, ""));
      if (tier && protectedTiers.includes(tier)) {
        it(`protects stateful resources in tier ${tier}`, () => {
          for (const [type, name, attrs] of resourcesOf(stack)) {
            if (!mustPreventDestroy(type, attrs)) continue;
            expect(attrs.lifecycle?.prevent_destroy, `${type}.${name} prevent_destroy`).toBe(true);
          }
          for (const type of deletionProtectionTypes) {
            for (const [name, attrs] of Object.entries(stack.resource?.[type] ?? {})) {
              expect(
                (attrs as { deletion_protection?: boolean }).deletion_protection,
                `${type}.${name} deletion_protection`,
              ).toBe(true);
            }
          }
        });

        it(`keeps every volume in tier ${tier}: claims name a Retain storage class of the environment`, () => {
          const env = id.replace(/-(foundation|addons|apps)$/, "");
          const classes = Object.values(
            synthAll().get(`${env}-addons`)?.resource?.kubernetes_storage_class_v1 ?? {},
          ) as Record<string, any>[];
          expect(classes.length).toBeGreaterThan(0);
          for (const storageClass of classes)
            expect(storageClass.reclaim_policy, storageClass.metadata?.name).toBe("Retain");
          const retained = new Set(classes.map((storageClass) => storageClass.metadata.name as string));
          for (const name of claimedClasses(stack))
            expect(retained.has(name), `${id}: storage class ${name}`).toBe(true);
        });
      }
    });
  }

  it("locks the manifests and releases that hold data, and the storage classes", () => {
    const apps = statefulAddresses(synthAll().get("prod-apps")!);
    expect(apps).toContain("helm_release.helm_elasticsearch");
    const zookeeper = Object.entries(synthAll().get("prod-apps")!.resource!.kubernetes_manifest!).find(
      ([, resource]) =>
        (resource as any).manifest.kind === "StatefulSet" && (resource as any).manifest.metadata.name === "zookeeper",
    )!;
    expect(apps).toContain(`kubernetes_manifest.${zookeeper[0]}`);
    expect(
      statefulAddresses(synthAll().get("prod-addons")!).filter((address) =>
        address.startsWith("kubernetes_storage_class_v1."),
      ),
    ).toHaveLength(2);
    // Every stateful StatefulSet in the apps stacks is in the lock; stateless manifests are not.
    const manifests = apps.filter((address) => address.startsWith("kubernetes_manifest."));
    expect(manifests.length).toBe(3); // ZooKeeper, Dremio coordinator and executors
  });

  it("names data charts that the pinned versions use", () => {
    const charts = Object.values(versions.charts).map((pin) => pin.chart);
    for (const chart of dataCharts) expect(charts).toContain(chart);
  });

  it("fails when a stateful resource disappears without a moved block", () => {
    const stack = structuredClone(synthAll().get("prod-foundation")!);
    delete stack.resource!.aws_db_instance!.postgres;
    const present = new Set(statefulAddresses(stack));
    expect(
      lock["prod-foundation"]!.filter((address) => !present.has(address) && !movedFrom(stack).has(address)),
    ).toEqual(["aws_db_instance.postgres"]);
    (stack as Record<string, unknown>).moved = [{ from: "aws_db_instance.postgres", to: "aws_db_instance.main" }];
    expect(
      lock["prod-foundation"]!.filter((address) => !present.has(address) && !movedFrom(stack).has(address)),
    ).toEqual([]);
  });
});

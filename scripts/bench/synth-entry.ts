// Benchmark subject: synthesizes the committed environments, or N generated copies of staging,
// into an output directory, then reports per-stack timings on stderr as JSON.
import { App, TerraformStack } from "cdktf";
import { environmentInputs, loadOrThrow } from "../../config";
import { buildStacks } from "../../stacks";

const [outdir, count] = [process.argv[2]!, process.argv[3] ?? "committed"];
const raw = count === "committed" ? environmentInputs : generated(Number(count));

const app = new App({ outdir });
buildStacks(app, loadOrThrow(raw));
// Time each stack's own synthesis as app.synth() runs it, without doing the work twice.
const perStack: Record<string, number> = {};
for (const stack of app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack)) {
  const toTerraform = stack.toTerraform.bind(stack);
  stack.toTerraform = () => {
    const t = performance.now();
    const result = toTerraform();
    perStack[stack.node.id] = (perStack[stack.node.id] ?? 0) + performance.now() - t;
    return result;
  };
}
app.synth();
process.stderr.write(`__stacks__ ${JSON.stringify(perStack)}\n`);
process.exit(0); // as main.ts and scripts/synth.ts end

/** N independent environments shaped like staging, each with its own name and network. */
function generated(n: number): Record<string, unknown> {
  const base = environmentInputs.staging as Record<string, any>;
  return Object.fromEntries(
    Array.from({ length: n }, (_, i) => {
      const name = `gen${String(i + 1).padStart(2, "0")}`;
      return [name, { ...structuredClone(base), name, network: { ...base.network, cidr: `10.${100 + i}.0.0/16` } }];
    }),
  );
}

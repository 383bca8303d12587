// `npm run lock-addresses [-- --write]`: compares the stateful addresses of every synthesized stack
// with test/addresses.lock.json. Without --write it only prints what would change. --write adds new
// addresses after review; it never removes one: a locked address leaves the file only by hand, once
// a `moved` block has carried its data to the new address and that move has been applied.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { statefulAddresses } from "../lib/stateful";
import { cli } from "./lib/cli";
import { synthesizeAllOrThrow } from "./lib/synthesized";

const args = cli(process.argv.slice(2), {
  name: "lock-addresses",
  usage:
    "usage: npm run lock-addresses [-- --write]\n  compares every stack's stateful addresses with test/addresses.lock.json; --write adds the new ones",
  flags: ["--write"],
});

const file = join(__dirname, "..", "test", "addresses.lock.json");
const lock = JSON.parse(readFileSync(file, "utf8")) as Record<string, string[]>;
const next: Record<string, string[]> = {};
let added = 0;
let missing = 0;
for (const stack of [...synthesizeAllOrThrow()].sort((left, right) => left.id.localeCompare(right.id))) {
  const now = statefulAddresses(stack.json);
  const locked = lock[stack.id] ?? [];
  for (const address of now.filter((candidate) => !locked.includes(candidate)))
    (console.log(`+ ${stack.id}: ${address}`), added++);
  for (const address of locked.filter((candidate) => !now.includes(candidate)))
    (console.log(`- ${stack.id}: ${address} (kept: remove by hand after its moved block is applied)`), missing++);
  next[stack.id] = [...new Set([...locked, ...now])].sort();
}
if (args.flags.has("--write")) {
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`${file}: ${added} address(es) added`);
} else {
  console.log(`${added} new, ${missing} missing; run with --write to add the new ones`);
}

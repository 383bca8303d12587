// cdktf's logical ids (the `name` in `aws_s3_bucket.name`), computed exactly as its makeUniqueId
// (cdktf/lib/private/unique.js) does, for two reasons of speed only:
// - cdktf joins the path with Array.prototype.join. Construct ids built at run time (`np-${name}`)
//   become "thin" strings once constructs uses them as keys, and V8 (Node 20) joins those into a
//   two-byte string although they are ASCII. A two-byte id makes the whole stack's JSON text
//   two-byte, slower to stringify and to write as UTF-8. Concatenation keeps them one-byte.
// - a one-shot md5 (crypto.hash) instead of a Hash object per element.
// test/logical-id.test.ts checks every element of the committed stacks and random paths against
// cdktf's own function; addresses are locked by test/addresses.test.ts as well.
import { hash } from "node:crypto";

const HIDDEN_ID = "Default"; // left out entirely
const HIDDEN_FROM_HUMAN_ID = "Resource"; // hashed, but not in the readable part
const HASH_LEN = 8;
const MAX_HUMAN_LEN = 240;
const MAX_ID_LEN = 255;
const disallowed = /[^A-Za-z0-9_-]/g;

/** The logical id of an element from the ids of the constructs between its stack and itself. */
export function logicalId(path: readonly string[]): string {
  const components = path.filter((c) => c !== HIDDEN_ID);
  if (components.length === 0) throw new Error("Unable to calculate a unique id for an empty set of components");
  if (components.length === 1) {
    const candidate = components[0]!.replace(disallowed, "");
    if (candidate.length <= MAX_ID_LEN) return candidate;
  }
  let joined = components[0]!;
  for (let i = 1; i < components.length; i++) joined = joined + "/" + components[i];
  let human: string | undefined;
  let previous: string | undefined;
  for (const c of components) {
    // A component the previous kept one ends with is left out of the readable part (removeDupes).
    if (previous !== undefined && previous.endsWith(c)) continue;
    previous = c;
    if (c === HIDDEN_FROM_HUMAN_ID) continue;
    const clean = c.replace(disallowed, "");
    human = human === undefined ? clean : human + "_" + clean;
  }
  human ??= "";
  return human.slice(0, MAX_HUMAN_LEN) + "_" + hash("md5", joined, "hex").slice(0, HASH_LEN).toUpperCase();
}

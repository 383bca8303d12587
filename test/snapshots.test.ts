import { describe, expect, it } from "vitest";
import { synthAll } from "./helpers";

// One reviewed snapshot per stack. After an intended change: `npx vitest run -u`, then read the
// diff of test/__snapshots__/ like code before committing it.
describe("synthesized stacks", () => {
  for (const [id, stack] of synthAll()) {
    it(`${id} matches its reviewed snapshot`, async () => {
      await expect(JSON.stringify(stack, null, 2) + "\n").toMatchFileSnapshot(`__snapshots__/${id}.tf.json`);
    });
  }
});

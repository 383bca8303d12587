import { describe, expect, it } from "vitest";
import { synthAll } from "./helpers";

describe("smoke", () => {
  it("synthesizes the foundation stacks", () => {
    expect([...synthAll().keys()].sort()).toEqual(["dr-foundation", "prod-foundation", "staging-foundation"]);
  });
});

import { describe, expect, it } from "vitest";
import { synthAll } from "./helpers";

describe("smoke", () => {
  it("synthesizes every stack of every environment, named for `cdktf deploy`", () => {
    expect([...synthAll().keys()].sort()).toEqual([
      "dev-addons",
      "dev-apps",
      "dr-addons",
      "dr-apps",
      "dr-foundation",
      "dr-replication",
      "prod-addons",
      "prod-apps",
      "prod-foundation",
      "staging-addons",
      "staging-apps",
      "staging-foundation",
    ]);
  });
});

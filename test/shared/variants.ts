// Configurations every test run synthesizes once (test/global-setup.ts) for all test files to read.
import { environmentInputs } from "../../config";
import { fixtureInputs } from "../fixtures/environments";

export const variants = {
  /** The fixture environments the product's tests assert on (test/fixtures/environments). */
  committed: fixtureInputs,
  /** dr promoted (`failover: true`), with prod, the environment it mirrors (their stacks are the
   *  same as among all the fixture environments). */
  drFailover: { prod: fixtureInputs.prod, dr: { ...(fixtureInputs.dr as object), failover: true } },
  /** The user's own configuration (config/environments), for the generic tests. */
  user: environmentInputs,
} satisfies Record<string, Record<string, unknown>>;

export type Variant = keyof typeof variants;

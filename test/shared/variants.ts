// Configurations every test run synthesizes once (test/global-setup.ts) for all test files to read.
import { environmentInputs } from "../../config";

export const variants = {
  /** The committed environments. */
  committed: environmentInputs,
  /** dr promoted (`failover: true`), with prod, the environment it mirrors (their stacks are the
   *  same as among all the committed environments). */
  drFailover: { prod: environmentInputs.prod, dr: { ...(environmentInputs.dr as object), failover: true } },
} satisfies Record<string, Record<string, unknown>>;

export type Variant = keyof typeof variants;

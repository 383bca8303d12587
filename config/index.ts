// The environments this program synthesizes, keyed by name. Add one by adding a file and a line.
import { dev } from "./environments/dev";
import { dr } from "./environments/dr";
import { prod } from "./environments/prod";
import { staging } from "./environments/staging";

export const environmentInputs: Record<string, unknown> = { dev, staging, prod, dr };
export { loadEnvironments, loadOrThrow, ConfigError } from "./load";
export * from "./schema";

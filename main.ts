// Entry point for `cdktf synth|diff|deploy`: validate every environment, then build its stacks.
import { App } from "cdktf";
import { environmentInputs, loadEnvironments } from "./config";
import { buildStacks } from "./stacks";

const loaded = loadEnvironments(environmentInputs);
if (!loaded.ok) {
  for (const line of loaded.errors) console.error(line);
  process.exit(1);
}
const app = new App();
buildStacks(app, loaded.environments);
app.synth();
// Everything is written (synchronously) by now. Exit at once instead of letting the engine finish
// idle garbage collection first: with all environments in memory, that wait grows with each one.
process.exit(0);

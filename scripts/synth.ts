// `npm run synth [-- <outdir>]`: every stack of every environment into cdktf.out, offline.
import { environmentInputs } from "../config";
import { synthesize } from "./run-synth";

const result = synthesize(environmentInputs, process.argv[2] ?? "cdktf.out");
for (const line of result.lines) (result.ok ? console.log : console.error)(line);
process.exit(result.ok ? 0 : 1);

// Command-line arguments of the npm scripts, one behaviour for all: `--help` prints the usage and
// exits 0; an unknown flag, a missing option value or a flag where a value belongs prints the
// usage and exits 2; a value never starts with "-".

export interface CliSpec {
  /** The script's name, for messages. */
  readonly name: string;
  readonly usage: string;
  /** Flags without a value (`--check`). */
  readonly flags?: readonly string[];
  /** Options with a value (`--env prod`). */
  readonly options?: readonly string[];
  /** How many positional arguments are allowed. @default 0 */
  readonly maxPositionals?: number;
}

export interface Cli {
  readonly flags: ReadonlySet<string>;
  readonly options: ReadonlyMap<string, string>;
  readonly positionals: readonly string[];
}

/** The parsed arguments, or what to print and the exit code. */
export function parseCli(
  args: readonly string[],
  spec: CliSpec,
): Cli | { readonly exit: number; readonly out: string } {
  const fail = (why: string) => ({ exit: 2, out: `${spec.name}: ${why}\n${spec.usage}` });
  const flags = new Set<string>();
  const options = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") return { exit: 0, out: spec.usage };
    if (arg.startsWith("-")) {
      const [key, inline] = arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
      if (spec.flags?.includes(key) && inline === undefined) flags.add(key);
      else if (spec.options?.includes(key)) {
        const value = inline ?? args[++i];
        if (value === undefined || value.startsWith("-")) return fail(`${key} needs a value`);
        options.set(key, value);
      } else return fail(`unknown flag ${arg}`);
    } else positionals.push(arg);
  }
  if (positionals.length > (spec.maxPositionals ?? 0))
    return fail(`unexpected argument ${positionals[spec.maxPositionals ?? 0]}`);
  return { flags, options, positionals };
}

/** parseCli for a script's entry point: prints and exits on --help and on errors. */
export function cli(args: readonly string[], spec: CliSpec): Cli {
  const parsed = parseCli(args, spec);
  if ("exit" in parsed) {
    (parsed.exit === 0 ? console.log : console.error)(parsed.out);
    process.exit(parsed.exit);
  }
  return parsed;
}

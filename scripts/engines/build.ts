// `npm run engines`: builds every engine of the live tier from the registries (Go module proxy,
// PyPI) into the cache folder outside the repository. Idempotent: an engine whose folder is
// complete is skipped, so a second run takes seconds. Prints what it built and how long each took.
import { cli } from "../lib/cli";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { engines, goEngines, type GoEngine } from "../../config/engines";
import { terraformOnPath } from "./terraform";
import { completeMarker, enginesHome, goEngineDir, projectRoot, providerMirrorPath, pythonEnvDir } from "./paths";

interface Row {
  engine: string;
  version: string;
  status: "built" | "cached" | "found" | "failed";
  seconds: number;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

/** Builds into a temporary folder and renames it into place: a killed build leaves no half engine. */
function buildInto(dir: string, build: (tmp: string) => void): void {
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  build(tmp);
  writeFileSync(join(tmp, completeMarker), new Date().toISOString() + "\n");
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}

function buildGo(engine: GoEngine): void {
  const ldflags = ["-s", "-w", ...(engine.ldflags ?? []).flatMap((flag) => ["-X", flag])].join(" ");
  buildInto(goEngineDir(engine), (tmp) => {
    mkdirSync(join(tmp, "bin"));
    run("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", join(tmp, "bin") + "/", ...engine.packages], {
      cwd: join(projectRoot, "engines", engine.module),
      // Never a toolchain download or a checksum database lookup beyond the proxy's.
      env: {
        GOTOOLCHAIN: "local",
        GOFLAGS: "-mod=readonly -buildvcs=false",
        ...(engine.goExperiment ? { GOEXPERIMENT: engine.goExperiment } : {}),
      },
    });
  });
}

function buildPython(): void {
  // A virtual environment records its own path, so it is made where it stays; the marker is
  // written last, and a folder without it is made again from scratch.
  const dir = pythonEnvDir();
  rmSync(dir, { recursive: true, force: true });
  run("python3", ["-m", "venv", dir]);
  const pins = Object.entries(engines.python).map(([name, version]) => `${name}==${version}`);
  run(join(dir, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", ...pins]);
  writeFileSync(join(dir, completeMarker), new Date().toISOString() + "\n");
}

/** The provider mirror and a CLI configuration that installs from it alone (no registry). */
function writeMirror(): void {
  const mirror = join(enginesHome(), "terraform-mirror");
  rmSync(mirror, { recursive: true, force: true });
  for (const provider of engines.providers) {
    const target = join(mirror, providerMirrorPath(provider));
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(goEngineDir(provider), "bin", `terraform-provider-${provider.type}`), target);
  }
  writeFileSync(
    join(mirror, "terraformrc"),
    [
      "# Written by npm run engines: providers come from the local mirror only.",
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = "${mirror}"`,
      '    include = ["registry.terraform.io/hashicorp/*"]',
      "  }",
      "}",
      "disable_checkpoint = true",
      "",
    ].join("\n"),
  );
}

function main(): void {
  const only = [
    ...cli(process.argv.slice(2), {
      name: "engines",
      usage:
        "usage: npm run engines [-- <engine>...]\n  builds (or finds cached) the live tier's engines under ~/.cache/odp-engines; names narrow it to some (e.g. trivy provider-aws)",
      maxPositionals: 20,
    }).positionals,
  ];
  const rows: Row[] = [];
  const step = (engine: string, version: string, dir: string, build: () => void) => {
    if (only.length && !only.some((pattern) => engine.includes(pattern))) return;
    const start = Date.now();
    if (existsSync(join(dir, completeMarker))) {
      rows.push({ engine, version, status: "cached", seconds: (Date.now() - start) / 1000 });
      return;
    }
    console.log(`engines: building ${engine} ${version} ...`);
    try {
      build();
      rows.push({ engine, version, status: "built", seconds: (Date.now() - start) / 1000 });
    } catch (err) {
      rows.push({ engine, version, status: "failed", seconds: (Date.now() - start) / 1000 });
      console.error(`engines: ${engine}: ${(err as Error).message}`);
    }
  };
  mkdirSync(enginesHome(), { recursive: true });
  const tf = terraformOnPath();
  if (!tf.ok) {
    console.error(`engines: ${tf.reason}`);
    process.exit(1);
  }
  rows.push({ engine: "terraform (PATH)", version: tf.version, status: "found", seconds: 0 });
  for (const engine of goEngines) step(engine.module, engine.version, goEngineDir(engine), () => buildGo(engine));
  step("python (checkov, moto)", Object.values(engines.python).join(", "), pythonEnvDir(), buildPython);
  writeMirror();
  console.log(`engines in ${enginesHome()}:`);
  for (const row of rows)
    console.log(
      `  ${row.engine.padEnd(24)} ${row.version.padEnd(40)} ${row.status.padEnd(7)} ${row.seconds.toFixed(1)} s`,
    );
  if (rows.some((row) => row.status === "failed")) process.exit(1);
}

main();

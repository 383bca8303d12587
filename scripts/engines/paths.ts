// Where each engine of the live tier lives once built: one cache folder outside the repository,
// one sub-folder per engine keyed by its version and the hash of its module files, so a version
// bump rebuilds only that engine and a second run finds everything in place.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { engines, type GoEngine, type ProviderEngine } from "../../config/engines";

export const projectRoot = resolve(__dirname, "../..");

/** The cache root: ODP_ENGINES_HOME, or ~/.cache/odp-engines. */
export function enginesHome(): string {
  return process.env.ODP_ENGINES_HOME ?? join(homedir(), ".cache", "odp-engines");
}

function shortHash(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex").slice(0, 10);
}

/** The folder of a Go engine's build, keyed by its pins and its module files. */
export function goEngineDir(engine: GoEngine): string {
  const mod = join(projectRoot, "engines", engine.module);
  const files = ["go.mod", "go.sum"].map((file) => readFileSync(join(mod, file), "utf8"));
  return join(enginesHome(), `${engine.module}-${engine.version}-${shortHash(JSON.stringify(engine), ...files)}`);
}

export function pythonEnvDir(): string {
  return join(enginesHome(), `python-${shortHash(JSON.stringify(engines.python), process.version)}`);
}

/** The unpacked filesystem-mirror layout Terraform expects for a provider. */
export function providerMirrorPath(provider: ProviderEngine): string {
  return join(
    "registry.terraform.io",
    "hashicorp",
    provider.type,
    provider.mirrorVersion,
    "linux_amd64",
    `terraform-provider-${provider.type}`,
  );
}

export const completeMarker = ".complete";

export interface EnginePaths {
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kine: string;
  kwok: string;
  helm: string;
  trivy: string;
  checkov: string;
  motoServer: string;
  /** Each provider's built binary, by type. */
  providers: Record<string, string>;
  /** Folder holding the provider mirror, and the Terraform CLI configuration that uses it. */
  providerMirror: string;
  terraformrc: string;
}

/** Paths of every engine, built or not (see missingEngines). */
export function enginePaths(): EnginePaths {
  const bin = (engine: GoEngine, name: string) => join(goEngineDir(engine), "bin", name);
  const py = join(pythonEnvDir(), "bin");
  const mirror = join(enginesHome(), "terraform-mirror");
  return {
    kubeApiserver: bin(engines.kube, "kube-apiserver"),
    kubeControllerManager: bin(engines.kube, "kube-controller-manager"),
    kubeScheduler: bin(engines.kube, "kube-scheduler"),
    kine: bin(engines.kine, "kine"),
    kwok: bin(engines.kwok, "kwok"),
    helm: bin(engines.helm, "helm"),
    trivy: bin(engines.trivy, "trivy"),
    checkov: join(py, "checkov"),
    motoServer: join(py, "moto_server"),
    providers: Object.fromEntries(
      engines.providers.map((provider) => [provider.type, bin(provider, `terraform-provider-${provider.type}`)]),
    ),
    providerMirror: mirror,
    terraformrc: join(mirror, "terraformrc"),
  };
}

/** The engines among `files` that are not built, as one line that says how to build them. */
export function missingEngines(files: readonly string[]): string | undefined {
  const missing = files.filter((file) => !existsSync(file));
  return missing.length ? `engines not built (${missing.join(", ")}): run \`npm run engines\` first` : undefined;
}

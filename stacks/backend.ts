import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import { posix } from "node:path";
import type { EnvironmentConfig } from "../config/schema";
import { versions } from "../config/versions";

/** One state file per environment and stack; S3 state is encrypted and locked by a lock file. */
export function configureBackend(stack: TerraformStack, env: EnvironmentConfig, layer: string): void {
  stack.addOverride("terraform.required_version", versions.terraform);
  const backendConfig = env.backend;
  if (backendConfig.type === "local") {
    // Terraform runs in <outdir>/stacks/<stack>, which every synthesis rewrites: a relative state
    // directory is anchored three levels up, beside the output folder (the project root for
    // cdktf.out), never inside it.
    const file = `${env.name}-${layer}.tfstate`;
    new LocalBackend(stack, {
      path: posix.isAbsolute(backendConfig.directory)
        ? posix.join(backendConfig.directory, file)
        : posix.join("..", "..", "..", backendConfig.directory, file),
    });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: backendConfig.bucket,
    key: `${backendConfig.keyPrefix}/${env.name}/${layer}.tfstate`,
    region: backendConfig.region,
    encrypt: true,
  });
  // cdktf 0.21 has no typed option for S3-native locking (Terraform >= 1.10).
  backend.addOverride("use_lockfile", true);
}

export function defaultTags(env: EnvironmentConfig): Record<string, string> {
  return {
    environment: env.name,
    tier: env.tier,
    owner: env.tags.owner,
    "cost-centre": env.tags.costCentre,
    "managed-by": "cdktf",
  };
}

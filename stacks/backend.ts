import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";
import { versions } from "../config/versions";

/** One state file per environment and stack; S3 state is encrypted and locked by a lock file. */
export function configureBackend(stack: TerraformStack, env: EnvironmentConfig, layer: string): void {
  stack.addOverride("terraform.required_version", versions.terraform);
  const b = env.backend;
  if (b.type === "local") {
    new LocalBackend(stack, { path: `${b.directory}/${env.name}-${layer}.tfstate` });
    return;
  }
  const backend = new S3Backend(stack, { bucket: b.bucket, key: `${b.keyPrefix}/${env.name}/${layer}.tfstate`, region: b.region, encrypt: true });
  // cdktf 0.21 has no typed option for S3-native locking (Terraform >= 1.10).
  backend.addOverride("use_lockfile", true);
}

export function defaultTags(env: EnvironmentConfig): Record<string, string> {
  return { environment: env.name, tier: env.tier, owner: env.tags.owner, "cost-centre": env.tags.costCentre, "managed-by": "cdktf" };
}

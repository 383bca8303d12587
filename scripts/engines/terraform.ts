// Terraform itself is not built: the one on PATH is used when it is recent enough.
import { spawnSync } from "node:child_process";
import { engines } from "../../config/engines";

export type TerraformCheck = { ok: true; version: string } | { ok: false; reason: string };

function atLeast(version: string, minimum: string): boolean {
  const actual = version.split(".").map(Number);
  const required = minimum.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((actual[i] ?? 0) !== (required[i] ?? 0)) return (actual[i] ?? 0) > (required[i] ?? 0);
  return true;
}

export function terraformOnPath(): TerraformCheck {
  const result = spawnSync("terraform", ["version", "-json"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" },
  });
  if (result.error || result.status !== 0)
    return { ok: false, reason: `terraform >= ${engines.terraformMinimum} is needed on PATH (not found)` };
  const version = (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  if (!atLeast(version, engines.terraformMinimum))
    return { ok: false, reason: `terraform >= ${engines.terraformMinimum} is needed on PATH (found ${version})` };
  return { ok: true, version };
}

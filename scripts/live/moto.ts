// The live tier's AWS phase: `terraform plan` of every foundation stack against moto on loopback.
// Endpoint, dummy credentials and a local backend come from the test's environment and override
// files in its copy of each stack, never from the synthesized output. What must exist before a
// foundation's first plan (its DNS zone; for a standby, its source's KMS aliases) is seeded first.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EnginePaths } from "../engines/paths";
import { freePort } from "./control-plane";
import { waitFor } from "./kube-api";
import { track } from "./processes";
import type { Check } from "./report";
import { errorSummary, terraformEnv, tf, writeProviderOverride } from "./terraform";

type Json = Record<string, any>;

interface Seed {
  zones: string[];
  aliases: { name: string; region: string }[];
}

/** What the stack's data sources expect to find, read from its synthesized JSON. */
export function seedsOf(stack: Json): Seed {
  const providers: Json[] = stack.provider?.aws ?? [];
  const regionOf = (ref: string | undefined) => {
    const alias = ref?.replace(/^aws\./, "");
    return (
      providers.find((provider) => (alias ? provider.alias === alias : provider.alias === undefined)) ?? providers[0]
    )?.region as string;
  };
  const data: Json = stack.data ?? {};
  return {
    zones: Object.values<Json>(data.aws_route53_zone ?? {}).map((zone) => zone.name as string),
    aliases: Object.values<Json>(data.aws_kms_alias ?? {}).map((alias) => ({
      name: alias.name as string,
      region: regionOf(alias.provider),
    })),
  };
}

/** Provider blocks with the same aliases, told to trust dummy credentials and path-style S3. */
export function providerOverrides(stack: Json): Json {
  const providers: Json[] = stack.provider?.aws ?? [];
  const flags = {
    skip_credentials_validation: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    s3_use_path_style: true,
  };
  return {
    provider: {
      aws: providers.map((provider) => ({ ...(provider.alias ? { alias: provider.alias } : {}), ...flags })),
    },
  };
}

const seedScript = `
import json, sys, boto3
seed, endpoint = json.loads(sys.argv[1]), sys.argv[2]
for zone in seed["zones"]:
    r53 = boto3.client("route53", endpoint_url=endpoint, region_name="us-east-1")
    if not any(z["Name"].rstrip(".") == zone for z in r53.list_hosted_zones()["HostedZones"]):
        r53.create_hosted_zone(Name=zone, CallerReference=zone)
for alias in seed["aliases"]:
    kms = boto3.client("kms", endpoint_url=endpoint, region_name=alias["region"])
    if not any(a["AliasName"] == alias["name"] for a in kms.list_aliases()["Aliases"]):
        kms.create_alias(AliasName=alias["name"], TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])
`;

/** A moto server on loopback that answers as `account` (moto reads the account at start). */
async function startMoto(
  paths: EnginePaths,
  account: string,
  log: string,
): Promise<{ endpoint: string; stop(): void }> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const fd = openSync(log, "a");
  const moto = track(
    spawn(paths.motoServer, ["-H", "127.0.0.1", "-p", String(port)], {
      stdio: ["ignore", fd, fd],
      env: { ...process.env, MOTO_ACCOUNT_ID: account },
    }),
  );
  closeSync(fd);
  const stop = () => moto.kill("SIGTERM");
  try {
    await waitFor("moto", 60_000, async () => (await fetch(`${endpoint}/moto-api/`)).ok || undefined);
  } catch (error) {
    stop();
    throw error;
  }
  return { endpoint, stop };
}

export async function liveMoto(
  paths: EnginePaths,
  synthDir: string,
  stacks: string[],
  workdir: string,
  checks: Check[],
): Promise<string> {
  const start = Date.now();
  let planned = 0;
  const python = join(paths.motoServer, "..", "python");
  for (const stackId of stacks) {
    const dir = join(synthDir, "stacks", stackId);
    const stack = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Json;
    // The stack's provider allows only its own account: moto must answer as that account.
    const account: string = stack.provider?.aws?.[0]?.allowed_account_ids?.[0] ?? "123456789012";
    const moto = await startMoto(paths, account, join(workdir, `moto-${stackId}.server.log`));
    try {
      const env = terraformEnv(paths, {
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: "live-tier",
        AWS_SECRET_ACCESS_KEY: "live-tier",
        AWS_EC2_METADATA_DISABLED: "true",
      });
      const seeded = spawnSync(python, ["-c", seedScript, JSON.stringify(seedsOf(stack)), moto.endpoint], {
        encoding: "utf8",
        env: { ...env, AWS_DEFAULT_REGION: "us-east-1" },
      });
      if (seeded.status !== 0) {
        checks.push({
          name: `moto: seed what ${stackId} expects to exist`,
          ok: false,
          detail: seeded.stderr.slice(-1500),
        });
        continue;
      }
      writeProviderOverride(dir, ["aws"]);
      writeFileSync(
        join(dir, "live_moto_override.tf.json"),
        JSON.stringify(
          {
            terraform: { backend: { local: { path: join(workdir, "moto-state", `${stackId}.tfstate`) } } },
            ...providerOverrides(stack),
          },
          null,
          2,
        ),
      );
      const tlog = join(workdir, `moto-${stackId}.log`);
      const init = await tf(dir, ["init", "-input=false", "-no-color", "-reconfigure"], { env, log: tlog });
      const plan =
        init.code === 0
          ? await tf(dir, ["plan", "-input=false", "-no-color", "-lock=false"], {
              env,
              log: tlog,
              timeoutMs: 20 * 60_000,
            })
          : init;
      const ok = plan.code === 0;
      if (ok) planned++;
      checks.push({ name: `moto: plan ${stackId}`, ok, detail: ok ? undefined : errorSummary(plan.output, 20) });
    } finally {
      moto.stop();
    }
  }
  return `live: planned ${planned}/${stacks.length} foundation stacks against moto in ${((Date.now() - start) / 1000).toFixed(0)} s`;
}

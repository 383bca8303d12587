import { describe, expect, it } from "vitest";
import { AppSecrets, type AppSecretsProps } from "../../constructs/aws/app-secrets";
import { resourceMap, resources, synthConstruct } from "../helpers";

const base: AppSecretsProps = {
  prefix: "test/platform",
  kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/secrets",
  secrets: { airbyte: { username: "airbyte", database: "airbyte" }, superset: { username: "superset" } },
  recoveryWindowDays: 30,
  preventDestroy: true,
};
const synth = (props: Partial<AppSecretsProps> = {}) =>
  synthConstruct((scope) => new AppSecrets(scope, "app", { ...base, ...props }));

describe("AppSecrets", () => {
  const synthesized = synth();
  const secrets = resourceMap(synthesized, "aws_secretsmanager_secret");
  const versions = resources(synthesized, "aws_secretsmanager_secret_version");

  it("creates one KMS-encrypted secret per entry under the prefix, at pinned addresses", () => {
    expect(Object.keys(secrets).sort()).toEqual(["secret_app_airbyte", "secret_app_superset"]);
    expect(secrets["secret_app_airbyte"]!.name).toBe("test/platform/airbyte");
    expect(secrets["secret_app_superset"]!.name).toBe("test/platform/superset");
    for (const secret of Object.values(secrets)) {
      expect(secret.kms_key_id).toBe(base.kmsKeyArn);
      expect(secret.recovery_window_in_days).toBe(30);
      expect(secret.lifecycle?.prevent_destroy).toBe(true);
    }
  });

  it("replicates only the named secrets into the given region, and none by default", () => {
    for (const secret of Object.values(secrets)) expect(secret.replica).toBeUndefined();
    const replicated = resourceMap(
      synth({ replicate: { region: "eu-central-1", secrets: ["superset"] } }),
      "aws_secretsmanager_secret",
    );
    expect(replicated["secret_app_superset"]!.replica).toEqual([{ region: "eu-central-1" }]);
    expect(replicated["secret_app_airbyte"]!.replica).toBeUndefined();
  });

  it("never writes a secret value into the configuration", () => {
    expect(versions).toHaveLength(2);
    for (const version of versions) {
      expect(version.secret_string).toBeUndefined();
      expect(version.secret_binary).toBeUndefined();
      expect(version.secret_string_wo_version).toBe(1);
    }
  });

  it("writes the generated password through the write-only argument from an ephemeral resource", () => {
    for (const name of ["airbyte", "superset"]) {
      const version = versions.find(
        (candidate) => candidate.secret_id === `\${aws_secretsmanager_secret.secret_app_${name}.id}`,
      )!;
      expect(version).toBeDefined();
      expect(version.secret_string_wo).toMatch(/^\$\{jsonencode\(\{.*\}\)\}$/);
      expect(version.secret_string_wo).toContain(
        `"password" = ephemeral.aws_secretsmanager_random_password.app_${name}.random_password`,
      );
    }
    const airbyte = versions.find(
      (version) => version.secret_id === "${aws_secretsmanager_secret.secret_app_airbyte.id}",
    )!;
    expect(airbyte.secret_string_wo).toContain('"username" = "airbyte"');
    expect(airbyte.secret_string_wo).toContain('"database" = "airbyte"');
  });

  it("declares the ephemeral password generators at the top level of the JSON", () => {
    const eph = synthesized.ephemeral?.["aws_secretsmanager_random_password"];
    expect(eph).toBeDefined();
    expect(Object.keys(eph!).sort()).toEqual(["app_airbyte", "app_superset"]);
    for (const gen of Object.values(eph!)) {
      expect(gen.password_length).toBeGreaterThanOrEqual(32);
      expect(gen.require_each_included_type).toBe(true);
    }
    // Not a managed resource: nothing generated lands in the state.
    expect(synthesized.resource?.["aws_secretsmanager_random_password"]).toBeUndefined();
    expect(synthesized.data?.["aws_secretsmanager_random_password"]).toBeUndefined();
  });

  it("follows preventDestroy and the recovery window", () => {
    const off = synth({ preventDestroy: false, recoveryWindowDays: 7 });
    for (const secret of resources(off, "aws_secretsmanager_secret")) {
      expect(secret.lifecycle?.prevent_destroy).toBeUndefined();
      expect(secret.recovery_window_in_days).toBe(7);
    }
  });

  it("creates nothing, not even an ephemeral block, without secrets", () => {
    const empty = synth({ secrets: {} });
    expect(resources(empty, "aws_secretsmanager_secret")).toEqual([]);
    expect(empty.ephemeral).toBeUndefined();
  });

  it("keeps template sequences in field values as literal text", () => {
    const version = resources(
      synth({ secrets: { odd: { username: "a${b}c%{d}" } } }),
      "aws_secretsmanager_secret_version",
    )[0]!;
    expect(version.secret_string_wo).toContain('"username" = "a$${b}c%%{d}"');
  });
});

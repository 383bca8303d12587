import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { stateful } from "../../lib/protect";

export interface AppSecretsProps {
  /** Secrets are named `<prefix>/<name>`; external-secrets may read `<prefix>/*` only. */
  readonly prefix: string;
  readonly kmsKeyArn: string;
  /** Per secret: the JSON fields it holds besides the generated `password`. */
  readonly secrets: Record<string, Record<string, string>>;
  readonly recoveryWindowDays: number;
  readonly preventDestroy: boolean;
  /** Secrets replicated into another region (a standby's), with that region's AWS-managed key: a
   *  customer key there belongs to the standby, whose stack is applied after this one.
   *  @default none: every secret stays in this region */
  readonly replicate?: { readonly region: string; readonly secrets: readonly string[] };
}

/**
 * Secrets Manager entries whose password is generated at apply time by an ephemeral resource and
 * written through a write-only argument: it never appears in cdktf.out, the plan or the state.
 * Bump `secret_string_wo_version` to rotate.
 */
export class AppSecrets extends Construct {
  readonly secrets: Record<string, SecretsmanagerSecret> = {};

  constructor(scope: Construct, id: string, props: AppSecretsProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    for (const [name, fields] of Object.entries(props.secrets)) {
      const address = `${id}_${name}`.replace(/[^a-zA-Z0-9_]/g, "_");
      const secret = stateful(
        new SecretsmanagerSecret(this, name, {
          name: `${props.prefix}/${name}`,
          kmsKeyId: props.kmsKeyArn,
          recoveryWindowInDays: props.recoveryWindowDays,
          ...(props.replicate?.secrets.includes(name) ? { replica: [{ region: props.replicate.region }] } : {}),
        }),
        `secret_${address}`,
        props.preventDestroy,
      );
      // cdktf 0.21 has no typed ephemeral blocks: write one into the stack's JSON.
      stack.addOverride(`ephemeral.aws_secretsmanager_random_password.${address}`, {
        password_length: 40,
        exclude_punctuation: true,
        require_each_included_type: true,
      });
      const value = Object.entries(fields)
        .map(([k, fieldValue]) => `${hclString(k)} = ${hclString(fieldValue)}, `)
        .join("");
      const version = new SecretsmanagerSecretVersion(this, `${name}-value`, { secretId: secret.id });
      version.addOverride(
        "secret_string_wo",
        `\${jsonencode({ ${value}"password" = ephemeral.aws_secretsmanager_random_password.${address}.random_password })}`,
      );
      version.addOverride("secret_string_wo_version", 1);
      this.secrets[name] = secret;
    }
  }
}

/** A quoted HCL string whose template sequences stay literal text. */
function hclString(text: string): string {
  return JSON.stringify(text)
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, () => "%%{");
}

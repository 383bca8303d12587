import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { TerraformOutput, TerraformVariable } from "cdktf";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCredentials, findLiteralSecrets, unmarkedSecretOutputs } from "../lib/secret-scan";
import { synthAll, synthConstruct } from "./helpers";

const root = join(__dirname, "..");
/** Where the project's own source and documentation live (tests hold deliberate violations). */
const sourceRoots = [
  "config",
  "constructs",
  "stacks",
  "lib",
  "policy",
  "scripts",
  "docs",
  "README.md",
  ".github",
  "main.ts",
];
/** The list's own definition. */
const definition = "lib/secret-scan.ts";

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

describe("no literal secret in any synthesized stack", () => {
  it.each([...synthAll().keys()])("%s", (id) => {
    expect(findLiteralSecrets(synthAll().get(id))).toEqual([]);
  });

  it("outputs that carry a secret ARN name only where it is kept, never its value", () => {
    for (const [id, synthesized] of synthAll()) {
      for (const [name, output] of Object.entries(synthesized.output ?? {})) {
        expect(String(output.value), `${id} output ${name}`).not.toMatch(/secret_string|random_password/);
      }
    }
  });
});

describe("provider blocks", () => {
  it("authenticate by exec, kubeconfig or the environment, never a literal credential", () => {
    for (const [id, synthesized] of synthAll()) {
      expect(synthesized.provider, id).toBeDefined();
      expect(findLiteralSecrets({ provider: synthesized.provider }), id).toEqual([]);
      expect(JSON.stringify(synthesized.provider), id).not.toMatch(
        /"(token|password|client_key|access_key|secret_key)"/,
      );
    }
  });

  it("are scanned: a literal token in a provider is caught", () => {
    const synthesized = synthConstruct((scope) => {
      new KubernetesProvider(scope, "kubernetes", {
        host: "https://k8s.fixture.example",
        token: "eyJhbGciOiJSUzI1NiJ9.literal",
      });
    });
    expect(findLiteralSecrets(synthesized).map((finding) => finding.path)).toEqual(["provider.kubernetes.0.token"]);
  });
});

describe("outputs", () => {
  it("every output whose name or value refers to a secret, a password or a token is sensitive", () => {
    for (const [id, synthesized] of synthAll()) expect(unmarkedSecretOutputs(synthesized), id).toEqual([]);
    // The foundation's outputs naming secrets exist, so the check above had something to check.
    const prod = synthAll().get("prod-foundation")!;
    expect(prod.output?.postgres_master_secret_arn?.sensitive).toBe(true);
    expect(prod.output?.secret_superset_admin?.sensitive).toBe(true);
  });

  it("the check fails on an unmarked secret output, by name or by value", () => {
    const synthesized = synthConstruct((scope) => {
      const secret = new SecretsmanagerSecret(scope, "sec", { name: "odp/x/admin" });
      new TerraformOutput(scope, "admin_secret_name", { value: secret.name });
      new TerraformOutput(scope, "admin_location", { value: secret.arn });
      new TerraformOutput(scope, "marked_token", { value: secret.arn, sensitive: true });
      new TerraformOutput(scope, "region", { value: "eu-west-1" });
    });
    expect(unmarkedSecretOutputs(synthesized).sort()).toEqual(["admin_location", "admin_secret_name"]);
  });
});

describe("well-known default credentials", () => {
  const files = sourceRoots
    .flatMap((sourceRoot) => filesUnder(join(root, sourceRoot)))
    .filter((file) => relative(root, file) !== definition);

  it("appear nowhere in the project's source, scripts, workflows or documentation", () => {
    expect(files.length).toBeGreaterThan(50);
    const hits = files.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return defaultCredentials.filter((re) => re.test(text)).map((re) => `${relative(root, file)}: ${re}`);
    });
    expect(hits).toEqual([]);
  });

  it("appear nowhere in any synthesized stack", () => {
    for (const [id, synthesized] of synthAll()) {
      const text = JSON.stringify(synthesized);
      expect(defaultCredentials.filter((re) => re.test(text)).map(String), id).toEqual([]);
    }
  });

  it("include the common ones", () => {
    const list = [
      "minio" + "admin",
      "minio" + "123",
      "admin/" + "admin",
      "admin:" + "admin",
      "elastic:" + "changeme",
      "change" + "me",
      "password" + "123",
      "prom-" + "operator",
    ];
    for (const cred of list)
      expect(
        defaultCredentials.some((re) => re.test(cred)),
        cred,
      ).toBe(true);
    expect(defaultCredentials.some((re) => re.test("platform-admin"))).toBe(false);
  });
});

describe("the scanner can fail", () => {
  it("catches a literal master password", () => {
    const synthesized = synthConstruct((scope) => {
      new DbInstance(scope, "db", {
        instanceClass: "db.t4g.micro",
        engine: "postgres",
        username: "u",
        password: "hunter2-literal",
      });
    });
    expect(findLiteralSecrets(synthesized).map((finding) => finding.path)).toEqual([
      "resource.aws_db_instance.db.password",
    ]);
  });

  it("catches a secret variable default and a secret output", () => {
    const synthesized = synthConstruct((scope) => {
      new TerraformVariable(scope, "api_token", { type: "string", default: "abc123" });
      new TerraformOutput(scope, "db_password", { value: "plain" });
    });
    expect(findLiteralSecrets(synthesized).map((finding) => finding.reason)).toEqual([
      "literal secret in a variable default or output",
      "literal secret in a variable default or output",
    ]);
  });

  it("catches a well-known default credential anywhere", () => {
    expect(findLiteralSecrets({ resource: { x: { y: { env: "MINIO_ROOT_USER=minioadmin" } } } })).toHaveLength(1);
    // In a key too, every time it appears (what a key says is remembered, not its findings).
    const inKey = { labels: { "user-minioadmin": "x" } };
    expect(findLiteralSecrets({ resource: { x: { y: inKey, z: inKey } } }).map((finding) => finding.path)).toEqual([
      "resource.x.y.labels.user-minioadmin",
      "resource.x.z.labels.user-minioadmin",
    ]);
  });

  it("tells names of secrets from their values", () => {
    const names = {
      data: [{ secretKey: "password", remoteRef: { key: "odp/prod/x", property: "password" } }],
      secret_name: "postgres-app",
      passwordSecretKey: "DATABASE_PASSWORD",
    };
    expect(findLiteralSecrets({ resource: { t: { n: names } } })).toEqual([]);
    expect(findLiteralSecrets({ resource: { t: { n: { secretKey: "AKIA-literal-value" } } } })).toHaveLength(1);
  });

  it("parses Helm values and finds a literal inside, with its path", () => {
    const synthesized = synthConstruct((scope) => {
      new Release(scope, "rel", {
        name: "r",
        chart: "app",
        repository: "https://charts.fixture.example",
        version: "1.0.0",
        values: ["auth:\n  adminPassword: hunter2\n"],
      });
    });
    expect(findLiteralSecrets(synthesized).map((finding) => finding.path)).toEqual([
      "resource.helm_release.rel.values.0.auth.adminPassword",
    ]);
  });

  it("catches a chart left on its default credential", () => {
    const synthesized = synthConstruct((scope) => {
      new Release(scope, "rel", {
        name: "m",
        chart: "kube-prometheus-stack",
        repository: "https://charts.fixture.example",
        version: "1.0.0",
        values: ["grafana:\n  enabled: true\n"],
      });
    });
    expect(findLiteralSecrets(synthesized).map((finding) => finding.path)).toEqual([
      "resource.helm_release.rel.values.0.grafana.admin.existingSecret",
    ]);
  });

  it("catches a Secret manifest's literal data and an environment variable holding a password", () => {
    const manifest = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { "config.env": "x" } };
    expect(
      findLiteralSecrets({ resource: { kubernetes_manifest: { s: { manifest } } } }).map((finding) => finding.path),
    ).toEqual(["resource.kubernetes_manifest.s.manifest.stringData.config.env"]);
    const env = [
      { name: "ADMIN_PASSWORD", value: "x" },
      { name: "AWS_SHARED_CREDENTIALS_FILE", value: "/p" },
    ];
    expect(findLiteralSecrets({ resource: { t: { n: { env } } } }).map((finding) => finding.path)).toEqual([
      "resource.t.n.env.0.value",
    ]);
  });

  it("accepts references and write-only expressions", () => {
    expect(
      findLiteralSecrets({
        resource: { t: { n: { password: "${var.p}", manage_master_user_password: true, http_tokens: "required" } } },
      }),
    ).toEqual([]);
  });
});

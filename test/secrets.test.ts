import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { TerraformOutput, TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { findLiteralSecrets } from "../lib/secret-scan";
import { synthAll, synthConstruct } from "./helpers";

describe("no literal secret in any synthesized stack", () => {
  it.each([...synthAll().keys()])("%s", (id) => {
    expect(findLiteralSecrets(synthAll().get(id))).toEqual([]);
  });

  it("outputs that carry a secret ARN name only where it is kept, never its value", () => {
    for (const [id, s] of synthAll()) {
      for (const [name, o] of Object.entries(s.output ?? {})) {
        expect(String(o.value), `${id} output ${name}`).not.toMatch(/secret_string|random_password/);
      }
    }
  });
});

describe("the scanner can fail", () => {
  it("catches a literal master password", () => {
    const s = synthConstruct((scope) => {
      new DbInstance(scope, "db", { instanceClass: "db.t4g.micro", engine: "postgres", username: "u", password: "hunter2-literal" });
    });
    expect(findLiteralSecrets(s).map((f) => f.path)).toEqual(["resource.aws_db_instance.db.password"]);
  });

  it("catches a secret variable default and a secret output", () => {
    const s = synthConstruct((scope) => {
      new TerraformVariable(scope, "api_token", { type: "string", default: "abc123" });
      new TerraformOutput(scope, "db_password", { value: "plain" });
    });
    expect(findLiteralSecrets(s).map((f) => f.reason)).toEqual([
      "literal secret in a variable default or output",
      "literal secret in a variable default or output",
    ]);
  });

  it("catches a well-known default credential anywhere", () => {
    expect(findLiteralSecrets({ resource: { x: { y: { env: "MINIO_ROOT_USER=minioadmin" } } } })).toHaveLength(1);
  });

  it("tells names of secrets from their values", () => {
    const names = { data: [{ secretKey: "password", remoteRef: { key: "odp/prod/x", property: "password" } }], secret_name: "postgres-app", passwordSecretKey: "DATABASE_PASSWORD" };
    expect(findLiteralSecrets({ resource: { t: { n: names } } })).toEqual([]);
    expect(findLiteralSecrets({ resource: { t: { n: { secretKey: "AKIA-literal-value" } } } })).toHaveLength(1);
  });

  it("accepts references and write-only expressions", () => {
    expect(findLiteralSecrets({ resource: { t: { n: { password: "${var.p}", manage_master_user_password: true, http_tokens: "required" } } } })).toEqual([]);
  });
});

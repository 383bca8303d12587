// SEC-001: no literal secret in any resource, including the YAML text of Helm values and the
// objects of kubernetes_manifest. The scan is lib/secret-scan.ts, shared with the secrets test.
import { scanResource } from "../../lib/secret-scan";
import { allTiers, type PolicyRule } from "../rule";

export const secretRules: PolicyRule[] = [
  {
    id: "SEC-001",
    title: "No literal secret",
    message:
      "reference the secret instead (a Secrets Manager entry, an ExternalSecret, a write-only or ephemeral value, an existing Kubernetes Secret); never a literal or a well-known default",
    fix: { code: [] },
    errorTiers: allTiers,
    resourceTypes: ["*"],
    check: (resource) => {
      const found = scanResource(resource.type, resource.attrs);
      return found.length ? found.map((finding) => `${finding.path}: ${finding.reason}`).join("; ") : undefined;
    },
  },
];

// DEP-001: a literal name of an object another resource of the stack creates needs a reference or
// a depends_on path to that resource (directly or through others), in every tier.
import { describe, expect, it } from "vitest";
import type { Construct } from "constructs";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { ruleStatus } from "../../policy";
import { evaluate } from "./fixture-stack";
import type { Tier } from "../../config";

function dep(build: (s: Construct) => unknown, tier: Tier = "production") {
  const result = evaluate(build, tier).report.results.find((ruleResult) => ruleResult.rule.id === "DEP-001")!;
  return { status: ruleStatus(result), violations: result.violations };
}

const ns = (scope: Construct, name = "lake") => new NamespaceV1(scope, "ns", { metadata: { name } });
const configMap = (scope: Construct, namespace: string, dependsOn?: ITerraformDependable[]) =>
  new ConfigMapV1(scope, "cm", { metadata: { name: "settings", namespace }, data: { a: "b" }, dependsOn });
const secret = (scope: Construct, namespace: string, name = "db-credentials") =>
  new SecretV1(scope, "secret", { metadata: { name, namespace }, data: { password: "x" } });
/** A Job in `namespace` whose pod mounts Secret `secretName`. */
const job = (scope: Construct, namespace: string, secretName: string, dependsOn?: ITerraformDependable[]) =>
  new Manifest(scope, "job", {
    manifest: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "migrate", namespace },
      spec: {
        template: {
          spec: { containers: [{ name: "m", image: "m:1" }], volumes: [{ name: "creds", secret: { secretName } }] },
        },
      },
    },
    dependsOn,
  });
const externalSecret = (
  scope: Construct,
  id: string,
  namespace: string,
  name: string,
  dependsOn?: ITerraformDependable[],
) =>
  new Manifest(scope, id, {
    manifest: {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name, namespace },
      spec: {
        secretStoreRef: { kind: "ClusterSecretStore", name: "platform" },
        target: { name },
        data: [{ secretKey: "password", remoteRef: { key: name, property: "password" } }],
      },
    },
    dependsOn,
  });

describe("DEP-001 dependencies Terraform can see", () => {
  it("catches a literal namespace with no reference or depends_on, naming the address and the literal", () => {
    const outcome = dep((scope) => (ns(scope), configMap(scope, "lake")));
    expect(outcome.status).toBe("fail");
    expect(outcome.violations.map((violation) => violation.address)).toEqual(["kubernetes_config_map_v1.cm"]);
    expect(outcome.violations[0]!.detail).toBe(
      'metadata.namespace names Namespace "lake", created by kubernetes_namespace_v1.ns, with no reference or depends_on path to it',
    );
  });

  it("is an error in every tier, and the annotation names the address and the literal", () => {
    for (const tier of ["development", "staging", "production", "standby"] as const)
      expect(dep((scope) => (ns(scope), configMap(scope, "lake")), tier).status).toBe("fail");
    const { stack } = evaluate((scope) => (ns(scope), configMap(scope, "lake")), "development");
    const errors = stack.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === "@cdktf/error" && String(entry.data).startsWith("[DEP-001]"))
          .map((entry) => String(entry.data)),
      );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^\[DEP-001\] kubernetes_config_map_v1\.cm: .*metadata\.namespace names Namespace "lake"/,
    );
  });

  it("passes a literal namespace with depends_on, a reference, or a path through another resource", () => {
    expect(dep((scope) => configMap(scope, "lake", [ns(scope)])).status).toBe("pass");
    expect(dep((scope) => configMap(scope, ns(scope).metadata.name)).status).toBe("pass");
    // The Job names the namespace, depends on the ConfigMap, which references the namespace.
    expect(dep((scope) => job(scope, "lake", "none", [configMap(scope, ns(scope).metadata.name)])).status).toBe("pass");
    // ...and through depends_on only: Job -> ConfigMap -> namespace.
    expect(dep((scope) => job(scope, "lake", "none", [configMap(scope, "lake", [ns(scope)])])).status).toBe("pass");
  });

  it("passes names of objects the stack does not create, and a namespace named by the resource that creates it", () => {
    expect(dep((scope) => configMap(scope, "elsewhere")).status).toBe("pass");
    const release = (scope: Construct) =>
      new Release(scope, "rel", { name: "r", chart: "c", version: "1", namespace: "lake", createNamespace: true });
    expect(dep(release).status).toBe("pass");
  });

  it("catches a literal Secret name with no dependency on what creates the Secret", () => {
    const outcome = dep((scope) => {
      const lake = ns(scope).metadata.name;
      secret(scope, lake);
      job(scope, lake, "db-credentials");
    });
    expect(outcome.status).toBe("fail");
    expect(outcome.violations.map((violation) => violation.address)).toEqual(["kubernetes_manifest.job"]);
    expect(outcome.violations[0]!.detail).toContain(
      'manifest.spec.template.spec.volumes[0].secret.secretName names Secret "db-credentials" in namespace "lake", created by kubernetes_secret_v1.secret',
    );
  });

  it("passes the Secret with depends_on, and a Secret of the same name in another namespace is another object", () => {
    expect(
      dep((scope) => {
        const lake = ns(scope).metadata.name;
        job(scope, lake, "db-credentials", [secret(scope, lake)]);
      }).status,
    ).toBe("pass");
    expect(
      dep((scope) => {
        const lake = ns(scope).metadata.name;
        secret(scope, "other");
        job(scope, lake, "db-credentials");
      }).status,
    ).toBe("pass");
  });

  it("knows the Secret an ExternalSecret creates, also when a chart's values name it", () => {
    const chart = (waitsForSecret: boolean) => (scope: Construct) => {
      const lake = ns(scope);
      const es = externalSecret(scope, "es", "lake", "db-credentials", [lake]);
      const env = [{ name: "PASSWORD", valueFrom: { secretKeyRef: { name: "db-credentials", key: "password" } } }];
      new Release(scope, "rel", {
        name: "app",
        chart: "c",
        version: "1",
        namespace: "lake",
        values: [JSON.stringify({ env })],
        dependsOn: waitsForSecret ? [lake, es] : [lake],
      });
    };
    const bad = dep(chart(false));
    expect(bad.status).toBe("fail");
    expect(bad.violations[0]!.address).toBe("helm_release.rel");
    expect(bad.violations[0]!.detail).toContain(
      'values.env[0].valueFrom.secretKeyRef.name names Secret "db-credentials" in namespace "lake", created by kubernetes_manifest.es',
    );
    expect(dep(chart(true)).status).toBe("pass");
  });

  it("catches a ServiceAccount and a ClusterIssuer named by literal", () => {
    const outcome = dep((scope) => {
      const lake = ns(scope).metadata.name;
      new ServiceAccountV1(scope, "sa", { metadata: { name: "runner", namespace: lake } });
      new Manifest(scope, "issuer", {
        manifest: {
          apiVersion: "cert-manager.io/v1",
          kind: "ClusterIssuer",
          metadata: { name: "platform-ca" },
          spec: { ca: { secretName: "ca" } },
        },
      });
      new Manifest(scope, "cert", {
        manifest: {
          apiVersion: "cert-manager.io/v1",
          kind: "Certificate",
          metadata: { name: "tls", namespace: lake },
          spec: { secretName: "tls", issuerRef: { kind: "ClusterIssuer", name: "platform-ca" } },
        },
      });
      new Manifest(scope, "pod", {
        manifest: {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "p", namespace: lake },
          spec: { serviceAccountName: "runner", containers: [{ name: "c", image: "c:1" }] },
        },
      });
    });
    expect(outcome.violations.map((violation) => [violation.address, violation.detail.split(",")[0]])).toEqual([
      ["kubernetes_manifest.cert", 'manifest.spec.issuerRef.name names ClusterIssuer "platform-ca"'],
      ["kubernetes_manifest.pod", 'manifest.spec.serviceAccountName names ServiceAccount "runner" in namespace "lake"'],
    ]);
  });

  it("follows an in-cluster store: a key it reads names a Secret of its remote namespace", () => {
    const build = (storeWaits: boolean) => (scope: Construct) => {
      const vault = ns(scope, "vault");
      const generated = new SecretV1(scope, "generated", {
        metadata: { name: "db-admin", namespace: vault.metadata.name },
        data: { password: "x" },
      });
      const store = new Manifest(scope, "store", {
        manifest: {
          apiVersion: "external-secrets.io/v1",
          kind: "ClusterSecretStore",
          metadata: { name: "platform" },
          spec: { provider: { kubernetes: { remoteNamespace: "vault" } } },
        },
        dependsOn: storeWaits ? [generated] : undefined,
      });
      externalSecret(scope, "reader", "default", "db-admin", [store]);
    };
    const bad = dep(build(false));
    expect(bad.violations.map((violation) => violation.address)).toEqual(["kubernetes_manifest.reader"]);
    expect(bad.violations[0]!.detail).toContain(
      'manifest.spec.data[0].remoteRef.key names Secret "db-admin" in namespace "vault", created by kubernetes_secret_v1.generated',
    );
    expect(dep(build(true)).status).toBe("pass");
  });

  it("catches an EKS cluster named by literal, and passes depends_on or a reference", () => {
    const cluster = (scope: Construct) =>
      new EksCluster(scope, "eks", { name: "odp", roleArn: "arn:r", vpcConfig: { subnetIds: ["s"] } });
    const association = (scope: Construct, clusterName: string, dependsOn?: ITerraformDependable[]) =>
      new EksPodIdentityAssociation(scope, "assoc", {
        clusterName,
        namespace: "a",
        serviceAccount: "b",
        roleArn: "arn:r",
        dependsOn,
      });
    const bad = dep((scope) => (cluster(scope), association(scope, "odp")));
    expect(bad.violations.map((violation) => [violation.address, violation.detail])).toEqual([
      [
        "aws_eks_pod_identity_association.assoc",
        'cluster_name names aws_eks_cluster "odp", created by aws_eks_cluster.eks, with no reference or depends_on path to it',
      ],
    ]);
    expect(dep((scope) => association(scope, "odp", [cluster(scope)])).status).toBe("pass");
    expect(dep((scope) => association(scope, cluster(scope).name)).status).toBe("pass");
  });
});

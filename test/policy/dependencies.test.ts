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
  const result = evaluate(build, tier).report.results.find((x) => x.rule.id === "DEP-001")!;
  return { status: ruleStatus(result), violations: result.violations };
}

const ns = (s: Construct, name = "lake") => new NamespaceV1(s, "ns", { metadata: { name } });
const configMap = (s: Construct, namespace: string, dependsOn?: ITerraformDependable[]) =>
  new ConfigMapV1(s, "cm", { metadata: { name: "settings", namespace }, data: { a: "b" }, dependsOn });
const secret = (s: Construct, namespace: string, name = "db-credentials") =>
  new SecretV1(s, "secret", { metadata: { name, namespace }, data: { password: "x" } });
/** A Job in `namespace` whose pod mounts Secret `secretName`. */
const job = (s: Construct, namespace: string, secretName: string, dependsOn?: ITerraformDependable[]) =>
  new Manifest(s, "job", {
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
  s: Construct,
  id: string,
  namespace: string,
  name: string,
  dependsOn?: ITerraformDependable[],
) =>
  new Manifest(s, id, {
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
    const r = dep((s) => (ns(s), configMap(s, "lake")));
    expect(r.status).toBe("fail");
    expect(r.violations.map((v) => v.address)).toEqual(["kubernetes_config_map_v1.cm"]);
    expect(r.violations[0]!.detail).toBe(
      'metadata.namespace names Namespace "lake", created by kubernetes_namespace_v1.ns, with no reference or depends_on path to it',
    );
  });

  it("is an error in every tier, and the annotation names the address and the literal", () => {
    for (const tier of ["development", "staging", "production", "standby"] as const)
      expect(dep((s) => (ns(s), configMap(s, "lake")), tier).status).toBe("fail");
    const { stack } = evaluate((s) => (ns(s), configMap(s, "lake")), "development");
    const errors = stack.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === "@cdktf/error" && String(m.data).startsWith("[DEP-001]"))
          .map((m) => String(m.data)),
      );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^\[DEP-001\] kubernetes_config_map_v1\.cm: .*metadata\.namespace names Namespace "lake"/,
    );
  });

  it("passes a literal namespace with depends_on, a reference, or a path through another resource", () => {
    expect(dep((s) => configMap(s, "lake", [ns(s)])).status).toBe("pass");
    expect(dep((s) => configMap(s, ns(s).metadata.name)).status).toBe("pass");
    // The Job names the namespace, depends on the ConfigMap, which references the namespace.
    expect(dep((s) => job(s, "lake", "none", [configMap(s, ns(s).metadata.name)])).status).toBe("pass");
    // ...and through depends_on only: Job -> ConfigMap -> namespace.
    expect(dep((s) => job(s, "lake", "none", [configMap(s, "lake", [ns(s)])])).status).toBe("pass");
  });

  it("passes names of objects the stack does not create, and a namespace named by the resource that creates it", () => {
    expect(dep((s) => configMap(s, "elsewhere")).status).toBe("pass");
    const release = (s: Construct) =>
      new Release(s, "rel", { name: "r", chart: "c", version: "1", namespace: "lake", createNamespace: true });
    expect(dep(release).status).toBe("pass");
  });

  it("catches a literal Secret name with no dependency on what creates the Secret", () => {
    const r = dep((s) => {
      const lake = ns(s).metadata.name;
      secret(s, lake);
      job(s, lake, "db-credentials");
    });
    expect(r.status).toBe("fail");
    expect(r.violations.map((v) => v.address)).toEqual(["kubernetes_manifest.job"]);
    expect(r.violations[0]!.detail).toContain(
      'manifest.spec.template.spec.volumes[0].secret.secretName names Secret "db-credentials" in namespace "lake", created by kubernetes_secret_v1.secret',
    );
  });

  it("passes the Secret with depends_on, and a Secret of the same name in another namespace is another object", () => {
    expect(
      dep((s) => {
        const lake = ns(s).metadata.name;
        job(s, lake, "db-credentials", [secret(s, lake)]);
      }).status,
    ).toBe("pass");
    expect(
      dep((s) => {
        const lake = ns(s).metadata.name;
        secret(s, "other");
        job(s, lake, "db-credentials");
      }).status,
    ).toBe("pass");
  });

  it("knows the Secret an ExternalSecret creates, also when a chart's values name it", () => {
    const chart = (waitsForSecret: boolean) => (s: Construct) => {
      const lake = ns(s);
      const es = externalSecret(s, "es", "lake", "db-credentials", [lake]);
      const env = [{ name: "PASSWORD", valueFrom: { secretKeyRef: { name: "db-credentials", key: "password" } } }];
      new Release(s, "rel", {
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
    const r = dep((s) => {
      const lake = ns(s).metadata.name;
      new ServiceAccountV1(s, "sa", { metadata: { name: "runner", namespace: lake } });
      new Manifest(s, "issuer", {
        manifest: {
          apiVersion: "cert-manager.io/v1",
          kind: "ClusterIssuer",
          metadata: { name: "platform-ca" },
          spec: { ca: { secretName: "ca" } },
        },
      });
      new Manifest(s, "cert", {
        manifest: {
          apiVersion: "cert-manager.io/v1",
          kind: "Certificate",
          metadata: { name: "tls", namespace: lake },
          spec: { secretName: "tls", issuerRef: { kind: "ClusterIssuer", name: "platform-ca" } },
        },
      });
      new Manifest(s, "pod", {
        manifest: {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "p", namespace: lake },
          spec: { serviceAccountName: "runner", containers: [{ name: "c", image: "c:1" }] },
        },
      });
    });
    expect(r.violations.map((v) => [v.address, v.detail.split(",")[0]])).toEqual([
      ["kubernetes_manifest.cert", 'manifest.spec.issuerRef.name names ClusterIssuer "platform-ca"'],
      ["kubernetes_manifest.pod", 'manifest.spec.serviceAccountName names ServiceAccount "runner" in namespace "lake"'],
    ]);
  });

  it("follows an in-cluster store: a key it reads names a Secret of its remote namespace", () => {
    const build = (storeWaits: boolean) => (s: Construct) => {
      const vault = ns(s, "vault");
      const generated = new SecretV1(s, "generated", {
        metadata: { name: "db-admin", namespace: vault.metadata.name },
        data: { password: "x" },
      });
      const store = new Manifest(s, "store", {
        manifest: {
          apiVersion: "external-secrets.io/v1",
          kind: "ClusterSecretStore",
          metadata: { name: "platform" },
          spec: { provider: { kubernetes: { remoteNamespace: "vault" } } },
        },
        dependsOn: storeWaits ? [generated] : undefined,
      });
      externalSecret(s, "reader", "default", "db-admin", [store]);
    };
    const bad = dep(build(false));
    expect(bad.violations.map((v) => v.address)).toEqual(["kubernetes_manifest.reader"]);
    expect(bad.violations[0]!.detail).toContain(
      'manifest.spec.data[0].remoteRef.key names Secret "db-admin" in namespace "vault", created by kubernetes_secret_v1.generated',
    );
    expect(dep(build(true)).status).toBe("pass");
  });

  it("catches an EKS cluster named by literal, and passes depends_on or a reference", () => {
    const cluster = (s: Construct) =>
      new EksCluster(s, "eks", { name: "odp", roleArn: "arn:r", vpcConfig: { subnetIds: ["s"] } });
    const association = (s: Construct, clusterName: string, dependsOn?: ITerraformDependable[]) =>
      new EksPodIdentityAssociation(s, "assoc", {
        clusterName,
        namespace: "a",
        serviceAccount: "b",
        roleArn: "arn:r",
        dependsOn,
      });
    const bad = dep((s) => (cluster(s), association(s, "odp")));
    expect(bad.violations.map((v) => [v.address, v.detail])).toEqual([
      [
        "aws_eks_pod_identity_association.assoc",
        'cluster_name names aws_eks_cluster "odp", created by aws_eks_cluster.eks, with no reference or depends_on path to it',
      ],
    ]);
    expect(dep((s) => association(s, "odp", [cluster(s)])).status).toBe("pass");
    expect(dep((s) => association(s, cluster(s).name)).status).toBe("pass");
  });
});

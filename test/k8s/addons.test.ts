import { describe, expect, it } from "vitest";
import { versions } from "../../config/versions";
import { AwsLoadBalancerController } from "../../constructs/k8s/addons/aws-load-balancer-controller";
import { CertManager } from "../../constructs/k8s/addons/cert-manager";
import { ExternalSecrets } from "../../constructs/k8s/addons/external-secrets";
import { Karpenter } from "../../constructs/k8s/addons/karpenter";
import { MetricsServer } from "../../constructs/k8s/addons/metrics-server";
import {
  CloudNativePgOperator,
  EckOperator,
  EnvoyGateway,
  MinioOperator,
  SupersetOperator,
} from "../../constructs/k8s/addons/operators";
import { StorageClasses } from "../../constructs/k8s/storage-classes";
import { resources } from "../helpers";
import { releaseValues, synthK8s } from "./helpers";

const apiServer = { kind: "cidrs", cidrs: ["10.20.0.0/16"], ports: [443] } as const;
const c = versions.charts;
const policies = (s: ReturnType<typeof synthK8s>) =>
  Object.fromEntries(resources(s, "kubernetes_network_policy_v1").map((p) => [p.metadata.name, p.spec]));

describe("add-ons", () => {
  it("cert-manager installs its CRDs, runs highly available and reaches the API server", () => {
    const s = synthK8s(
      (x) => new CertManager(x, "cm", { chart: c.certManager, namespace: "cert-manager", apiServer, replicas: 2 }),
    );
    const v = releaseValues(s)["cert-manager"];
    expect(v).toMatchObject({
      crds: { enabled: true, keep: true },
      replicaCount: 2,
      podDisruptionBudget: { enabled: true },
      webhook: { replicaCount: 2 },
    });
    const p = policies(s);
    expect(p["egress-api-server"].egress[0].to).toEqual([{ ip_block: { cidr: "10.20.0.0/16" } }]);
    expect(p["ingress-webhooks"].ingress[0].ports).toEqual([{ port: "10250", protocol: "TCP" }]);
  });

  it("a single replica gets no disruption budget that would block drains", () => {
    const s = synthK8s(
      (x) => new CertManager(x, "cm", { chart: c.certManager, namespace: "cert-manager", apiServer, replicas: 1 }),
    );
    expect(releaseValues(s)["cert-manager"].podDisruptionBudget.enabled).toBe(false);
  });

  it("external-secrets runs under the service account the foundation binds to its role", () => {
    const s = synthK8s(
      (x) =>
        new ExternalSecrets(x, "es", {
          chart: c.externalSecrets,
          namespace: "external-secrets",
          apiServer,
          serviceAccountName: "external-secrets",
        }),
    );
    expect(releaseValues(s)["external-secrets"]).toMatchObject({
      installCRDs: true,
      serviceAccount: { create: true, name: "external-secrets" },
    });
    expect(policies(s)["egress-https"].egress[0].ports).toEqual([{ port: "443", protocol: "TCP" }]);
  });

  it("the load balancer controller needs no instance metadata", () => {
    const s = synthK8s(
      (x) =>
        new AwsLoadBalancerController(x, "lbc", {
          chart: c.awsLoadBalancerController,
          namespace: "kube-system",
          apiServer,
          clusterName: "odp-prod",
          region: "us-east-1",
          vpcId: "vpc-1",
          serviceAccountName: "aws-load-balancer-controller",
        }),
    );
    expect(releaseValues(s)["aws-load-balancer-controller"]).toMatchObject({
      clusterName: "odp-prod",
      region: "us-east-1",
      vpcId: "vpc-1",
      serviceAccount: { name: "aws-load-balancer-controller" },
    });
  });

  it("Karpenter reads its interruption queue", () => {
    const s = synthK8s(
      (x) =>
        new Karpenter(x, "k", {
          chart: c.karpenter,
          namespace: "karpenter",
          apiServer,
          clusterName: "odp-prod",
          interruptionQueue: "odp-prod-karpenter",
          serviceAccountName: "karpenter",
        }),
    );
    expect(releaseValues(s).karpenter.settings).toEqual({
      clusterName: "odp-prod",
      interruptionQueue: "odp-prod-karpenter",
    });
  });

  it("metrics-server skips kubelet TLS checks only where asked (kind, k3d)", () => {
    const local = synthK8s(
      (x) =>
        new MetricsServer(x, "m", {
          chart: c.metricsServer,
          namespace: "kube-system",
          apiServer,
          insecureKubeletTls: true,
        }),
    );
    const eks = synthK8s(
      (x) => new MetricsServer(x, "m", { chart: c.metricsServer, namespace: "kube-system", apiServer }),
    );
    expect(releaseValues(local)["metrics-server"].args).toEqual(["--kubelet-insecure-tls"]);
    expect(releaseValues(eks)["metrics-server"].args).toBeUndefined();
  });

  it("each operator gets its own closed namespace with its webhook port open to the API server only", () => {
    const s = synthK8s((x) => {
      new EckOperator(x, "eck", { chart: c.eckOperator, namespace: "elastic-system", apiServer });
      new SupersetOperator(x, "so", { chart: c.supersetOperator, namespace: "superset-operator", apiServer });
      new CloudNativePgOperator(x, "cnpg", { chart: c.cloudnativePg, namespace: "cnpg-system", apiServer });
      new MinioOperator(x, "minio", { chart: c.minioOperator, namespace: "minio-operator", apiServer });
      new EnvoyGateway(x, "eg", { chart: c.envoyGateway, namespace: "envoy-gateway-system", apiServer });
    });
    const names = resources(s, "kubernetes_namespace_v1")
      .map((n) => n.metadata.name)
      .sort();
    expect(names).toEqual([
      "cnpg-system",
      "elastic-system",
      "envoy-gateway-system",
      "minio-operator",
      "superset-operator",
    ]);
    const v = releaseValues(s);
    expect(v["elastic-operator"]).toMatchObject({
      installCRDs: true,
      webhook: { enabled: true },
      telemetry: { disabled: true },
    });
    expect(v.cnpg).toMatchObject({ crds: { create: true }, config: { clusterWide: true } });
    const webhookPolicies = resources(s, "kubernetes_network_policy_v1").filter(
      (p) => p.metadata.name === "ingress-webhooks",
    );
    for (const p of webhookPolicies) expect(p.spec.ingress[0].from).toEqual([{ ip_block: { cidr: "10.20.0.0/16" } }]);
  });

  it("fast-ssd is gp3 at 3000 IOPS and 125 MiB/s, encrypted, bound in the pod's zone", () => {
    const s = synthK8s(
      (x) =>
        new StorageClasses(x, "sc", {
          provisioner: "ebs.csi.aws.com",
          fastParameters: { type: "gp3", iops: "3000", throughput: "125", encrypted: "true" },
          reclaimPolicy: "Retain",
        }),
    );
    const [fast, standard] = resources(s, "kubernetes_storage_class_v1");
    expect(fast).toMatchObject({
      metadata: { name: "fast-ssd" },
      reclaim_policy: "Retain",
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
    });
    expect(standard!.metadata.annotations["storageclass.kubernetes.io/is-default-class"]).toBe("true");
  });

  it("leaves the default class to a cluster that brings its own (kind's `standard` already exists)", () => {
    const s = synthK8s(
      (x) =>
        new StorageClasses(x, "sc", {
          provisioner: "rancher.io/local-path",
          reclaimPolicy: "Delete",
          createStandard: false,
        }),
    );
    expect(resources(s, "kubernetes_storage_class_v1").map((c) => c.metadata.name)).toEqual(["fast-ssd"]);
  });
});

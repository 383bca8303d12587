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
const charts = versions.charts;
const policies = (synthesized: ReturnType<typeof synthK8s>) =>
  Object.fromEntries(
    resources(synthesized, "kubernetes_network_policy_v1").map((policy) => [policy.metadata.name, policy.spec]),
  );

describe("add-ons", () => {
  it("cert-manager installs its CRDs, runs highly available and reaches the API server", () => {
    const synthesized = synthK8s(
      (scope) =>
        new CertManager(scope, "cm", { chart: charts.certManager, namespace: "cert-manager", apiServer, replicas: 2 }),
    );
    const values = releaseValues(synthesized)["cert-manager"];
    expect(values).toMatchObject({
      crds: { enabled: true, keep: true },
      replicaCount: 2,
      podDisruptionBudget: { enabled: true },
      webhook: { replicaCount: 2 },
    });
    const policySpecs = policies(synthesized);
    expect(policySpecs["egress-api-server"].egress[0].to).toEqual([{ ip_block: { cidr: "10.20.0.0/16" } }]);
    expect(policySpecs["ingress-webhooks"].ingress[0].ports).toEqual([{ port: "10250", protocol: "TCP" }]);
  });

  it("a single replica gets no disruption budget that would block drains", () => {
    const synthesized = synthK8s(
      (scope) =>
        new CertManager(scope, "cm", { chart: charts.certManager, namespace: "cert-manager", apiServer, replicas: 1 }),
    );
    expect(releaseValues(synthesized)["cert-manager"].podDisruptionBudget.enabled).toBe(false);
  });

  it("external-secrets runs under the service account the foundation binds to its role", () => {
    const synthesized = synthK8s(
      (scope) =>
        new ExternalSecrets(scope, "es", {
          chart: charts.externalSecrets,
          namespace: "external-secrets",
          apiServer,
          serviceAccountName: "external-secrets",
        }),
    );
    expect(releaseValues(synthesized)["external-secrets"]).toMatchObject({
      installCRDs: true,
      serviceAccount: { create: true, name: "external-secrets" },
    });
    expect(policies(synthesized)["egress-https"].egress[0].ports).toEqual([{ port: "443", protocol: "TCP" }]);
  });

  it("the load balancer controller needs no instance metadata", () => {
    const synthesized = synthK8s(
      (scope) =>
        new AwsLoadBalancerController(scope, "lbc", {
          chart: charts.awsLoadBalancerController,
          namespace: "kube-system",
          apiServer,
          clusterName: "odp-prod",
          region: "us-east-1",
          vpcId: "vpc-1",
          serviceAccountName: "aws-load-balancer-controller",
        }),
    );
    expect(releaseValues(synthesized)["aws-load-balancer-controller"]).toMatchObject({
      clusterName: "odp-prod",
      region: "us-east-1",
      vpcId: "vpc-1",
      serviceAccount: { name: "aws-load-balancer-controller" },
    });
  });

  it("Karpenter reads its interruption queue", () => {
    const synthesized = synthK8s(
      (scope) =>
        new Karpenter(scope, "k", {
          chart: charts.karpenter,
          namespace: "karpenter",
          apiServer,
          clusterName: "odp-prod",
          interruptionQueue: "odp-prod-karpenter",
          serviceAccountName: "karpenter",
        }),
    );
    expect(releaseValues(synthesized).karpenter.settings).toEqual({
      clusterName: "odp-prod",
      interruptionQueue: "odp-prod-karpenter",
    });
  });

  it("metrics-server skips kubelet TLS checks only where asked (kind, k3d)", () => {
    const local = synthK8s(
      (scope) =>
        new MetricsServer(scope, "m", {
          chart: charts.metricsServer,
          namespace: "kube-system",
          apiServer,
          insecureKubeletTls: true,
        }),
    );
    const eks = synthK8s(
      (scope) => new MetricsServer(scope, "m", { chart: charts.metricsServer, namespace: "kube-system", apiServer }),
    );
    expect(releaseValues(local)["metrics-server"].args).toEqual(["--kubelet-insecure-tls"]);
    expect(releaseValues(eks)["metrics-server"].args).toBeUndefined();
  });

  it("each operator gets its own closed namespace with its webhook port open to the API server only", () => {
    const synthesized = synthK8s((scope) => {
      new EckOperator(scope, "eck", { chart: charts.eckOperator, namespace: "elastic-system", apiServer });
      new SupersetOperator(scope, "so", { chart: charts.supersetOperator, namespace: "superset-operator", apiServer });
      new CloudNativePgOperator(scope, "cnpg", { chart: charts.cloudnativePg, namespace: "cnpg-system", apiServer });
      new MinioOperator(scope, "minio", { chart: charts.minioOperator, namespace: "minio-operator", apiServer });
      new EnvoyGateway(scope, "eg", { chart: charts.envoyGateway, namespace: "envoy-gateway-system", apiServer });
    });
    const names = resources(synthesized, "kubernetes_namespace_v1")
      .map((namespace) => namespace.metadata.name)
      .sort();
    expect(names).toEqual([
      "cnpg-system",
      "elastic-system",
      "envoy-gateway-system",
      "minio-operator",
      "superset-operator",
    ]);
    const values = releaseValues(synthesized);
    expect(values["elastic-operator"]).toMatchObject({
      installCRDs: true,
      webhook: { enabled: true },
      telemetry: { disabled: true },
    });
    expect(values.cnpg).toMatchObject({ crds: { create: true }, config: { clusterWide: true } });
    const webhookPolicies = resources(synthesized, "kubernetes_network_policy_v1").filter(
      (policy) => policy.metadata.name === "ingress-webhooks",
    );
    for (const policy of webhookPolicies)
      expect(policy.spec.ingress[0].from).toEqual([{ ip_block: { cidr: "10.20.0.0/16" } }]);
  });

  it("fast-ssd is gp3 at 3000 IOPS and 125 MiB/s, encrypted, bound in the pod's zone", () => {
    const synthesized = synthK8s(
      (scope) =>
        new StorageClasses(scope, "sc", {
          provisioner: "ebs.csi.aws.com",
          fastParameters: { type: "gp3", iops: "3000", throughput: "125", encrypted: "true" },
          reclaimPolicy: "Retain",
        }),
    );
    const [fast, standard] = resources(synthesized, "kubernetes_storage_class_v1");
    expect(fast).toMatchObject({
      metadata: { name: "fast-ssd" },
      reclaim_policy: "Retain",
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
    });
    expect(standard!.metadata.annotations["storageclass.kubernetes.io/is-default-class"]).toBe("true");
  });

  it("leaves the default class to a cluster that brings its own (kind's `standard` already exists)", () => {
    const synthesized = synthK8s(
      (scope) =>
        new StorageClasses(scope, "sc", {
          provisioner: "rancher.io/local-path",
          reclaimPolicy: "Delete",
          createStandard: false,
        }),
    );
    expect(
      resources(synthesized, "kubernetes_storage_class_v1").map((storageClass) => storageClass.metadata.name),
    ).toEqual(["fast-ssd"]);
  });
});

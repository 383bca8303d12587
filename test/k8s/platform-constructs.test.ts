import { describe, expect, it } from "vitest";
import { AppDatabases } from "../../constructs/k8s/platform/app-databases";
import { AlbIngress, albSslPolicy } from "../../constructs/k8s/platform/alb-ingress";
import { GatewayRoutes } from "../../constructs/k8s/platform/gateway-routes";
import { GeneratedSecrets } from "../../constructs/k8s/platform/generated-secrets";
import { CertificateIssuers } from "../../constructs/k8s/platform/issuers";
import { KarpenterNodePools } from "../../constructs/k8s/platform/karpenter-node-pools";
import { PlatformSecretStore } from "../../constructs/k8s/platform/secret-store";
import { PlatformNamespace } from "../../constructs/k8s/platform-namespace";
import type { ExposedService } from "../../constructs/k8s/workloads/types";
import { findLiteralSecrets } from "../../lib/secret-scan";
import { awsFoundation, localFoundation } from "../fixtures/foundations";
import { resources } from "../helpers";
import { manifests, synthK8s } from "./helpers";

const svc: ExposedService = {
  host: "airbyte.data.fixture.example",
  namespace: "airbyte",
  serviceName: "airbyte-server",
  servicePort: 8001,
  targetPort: 8001,
  podLabels: {},
  healthPath: "/api/v1/health",
};

describe("PlatformNamespace", () => {
  const stack = synthK8s((scope) => {
    const ns = new PlatformNamespace(scope, "ns", { name: "team" });
    ns.allowEgressTo("postgres", { kind: "cidrs", cidrs: ["10.0.0.0/24"], ports: [5432] }, { app: "api" });
    ns.allowIngressFrom("lb", { kind: "namespace", namespace: "gateway", ports: [8080] });
  });
  const policies = Object.fromEntries(
    resources(stack, "kubernetes_network_policy_v1").map((policy) => [policy.metadata.name, policy.spec]),
  );

  it("denies everything by default, then allows DNS", () => {
    expect(policies["default-deny"]).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
    expect(policies["allow-dns"].egress[0].ports).toEqual([
      { port: "53", protocol: "UDP" },
      { port: "53", protocol: "TCP" },
    ]);
  });

  it("adds exactly the flows asked for", () => {
    expect(policies["egress-postgres"]).toMatchObject({
      pod_selector: { match_labels: { app: "api" } },
      egress: [{ to: [{ ip_block: { cidr: "10.0.0.0/24" } }], ports: [{ port: "5432" }] }],
    });
    expect(policies["ingress-lb"].ingress[0].from).toEqual([
      { namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "gateway" } } },
    ]);
  });

  it("enforces the restricted Pod Security Standard unless told otherwise", () => {
    expect(resources(stack, "kubernetes_namespace_v1")[0]!.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe(
      "restricted",
    );
  });
});

describe("AppDatabases", () => {
  const build = (foundation = awsFoundation) =>
    synthK8s(
      (scope) =>
        new AppDatabases(scope, "db", {
          namespace: "platform-db",
          postgres: { ...foundation.postgres, admin: foundation.postgres.admin! },
          apps: { airbyte: {}, temporal: { createdb: true } },
          image: "postgres:17.11-alpine",
        }),
    );
  const stack = build();
  const [job] = manifests(stack, "Job");
  const jobResource = Object.values(stack.resource!.kubernetes_manifest!).find(
    (resource: any) => resource.manifest.kind === "Job",
  ) as Record<string, any>;

  it("takes every credential from Secrets synced from the store", () => {
    const secrets = manifests(stack, "ExternalSecret").map((manifest) => [
      manifest.metadata.name,
      manifest.spec.data.map((entry: any) => entry.remoteRef.key),
    ]);
    expect(secrets).toContainEqual([
      "postgres-airbyte",
      ["odp/test/postgres-airbyte", "odp/test/postgres-airbyte", "odp/test/postgres-airbyte"],
    ]);
    expect(findLiteralSecrets(stack)).toEqual([]);
    const env = job!.spec.template.spec.containers[0].env;
    expect(env.find((envVar: any) => envVar.name === "PGPASSWORD").valueFrom.secretKeyRef).toEqual({
      name: "postgres-admin",
      key: "password",
    });
    expect(env.find((envVar: any) => envVar.name === "PGSSLMODE").value).toBe("require");
  });

  it("runs as a non-root, read-only, idempotent Job", () => {
    const pod = job!.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 70 });
    expect(pod.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
    const script = resources(stack, "kubernetes_config_map_v1")[0]!.data["init.sh"] as string;
    expect(script).toContain("WHERE NOT EXISTS (SELECT 1 FROM pg_roles");
    expect(script).toContain("WHERE NOT EXISTS (SELECT 1 FROM pg_database");
    expect(resources(stack, "kubernetes_config_map_v1")[0]!.data.createdb).toBe("temporal\n");
  });

  it("reaches only PostgreSQL", () => {
    const egress = resources(stack, "kubernetes_network_policy_v1").find(
      (policy) => policy.metadata.name === "egress-postgres",
    )!;
    expect(egress.spec.egress[0].ports).toEqual([{ port: "5432", protocol: "TCP" }]);
  });

  it("names the Job after its content, so a changed script runs again", () => {
    const other = synthK8s(
      (scope) =>
        new AppDatabases(scope, "db", {
          namespace: "platform-db",
          postgres: { ...awsFoundation.postgres, admin: awsFoundation.postgres.admin! },
          apps: { airbyte: {} },
          image: "postgres:17.11-alpine",
        }),
    );
    expect(manifests(other, "Job")[0]!.metadata.name).not.toBe(job!.metadata.name);
  });

  it("waits for the Job to complete, as Terraform did before", () => {
    expect(jobResource.wait).toEqual({ condition: [{ type: "Complete", status: "True" }] });
    expect(jobResource.timeouts).toEqual({ create: "10m", update: "10m" });
    expect(jobResource.computed_fields).toContain("spec.template.metadata.labels");
  });
});

describe("AlbIngress", () => {
  const stack = synthK8s(
    (scope) =>
      new AlbIngress(scope, "alb", {
        services: [svc],
        certificateArn: "arn:cert",
        accessLogBucket: "logs",
        accessLogPrefix: "alb",
        deletionProtection: true,
        zoneId: "Z1",
      }),
  );
  const ing = resources(stack, "kubernetes_ingress_v1")[0]!;
  const annotations = ing.metadata.annotations;

  it("joins the shared HTTPS-only ALB with a TLS 1.3 policy", () => {
    expect(annotations["alb.ingress.kubernetes.io/group.name"]).toBe("platform");
    expect(annotations["alb.ingress.kubernetes.io/ssl-redirect"]).toBe("443");
    expect(annotations["alb.ingress.kubernetes.io/ssl-policy"]).toBe(albSslPolicy);
    expect(albSslPolicy).toMatch(/TLS13/);
    expect(annotations["alb.ingress.kubernetes.io/certificate-arn"]).toBe("arn:cert");
  });

  it("drops invalid headers, keeps access logs and protects the ALB", () => {
    const attrs = annotations["alb.ingress.kubernetes.io/load-balancer-attributes"];
    expect(attrs).toContain("routing.http.drop_invalid_header_fields.enabled=true");
    expect(attrs).toContain("deletion_protection.enabled=true");
    expect(attrs).toContain("access_logs.s3.bucket=logs");
  });

  it("publishes the host in DNS", () => {
    expect(resources(stack, "aws_route53_record")[0]).toMatchObject({
      name: "airbyte.data.fixture.example",
      type: "CNAME",
      zone_id: "Z1",
    });
  });
});

describe("GatewayRoutes", () => {
  const stack = synthK8s(
    (scope) =>
      new GatewayRoutes(scope, "gw", {
        namespace: "envoy-gateway-system",
        domain: "odp.localtest.me",
        clusterIssuer: "platform-ca",
        services: [{ ...svc, host: "airbyte.odp.localtest.me" }],
      }),
  );

  it("terminates TLS with a cert-manager certificate and only redirects HTTP", () => {
    const gw = manifests(stack, "Gateway")[0]!;
    expect(gw.spec.listeners.find((listener: any) => listener.protocol === "HTTPS").tls.certificateRefs[0].name).toBe(
      "platform-gateway-tls",
    );
    expect(manifests(stack, "Certificate")[0]!.spec.issuerRef.name).toBe("platform-ca");
    const redirect = manifests(stack, "HTTPRoute").find((httpRoute) => httpRoute.metadata.name === "https-redirect")!;
    expect(redirect.spec.rules[0].filters[0].requestRedirect.scheme).toBe("https");
  });

  it("routes each host to its service over HTTPS", () => {
    const route = manifests(stack, "HTTPRoute").find((httpRoute) => httpRoute.metadata.name === "airbyte")!;
    expect(route.spec).toMatchObject({
      hostnames: ["airbyte.odp.localtest.me"],
      parentRefs: [{ sectionName: "https" }],
      rules: [{ backendRefs: [{ name: "airbyte-server", port: 8001 }] }],
    });
  });
});

describe("KarpenterNodePools", () => {
  const stack = synthK8s(
    (scope) =>
      new KarpenterNodePools(scope, "k", {
        clusterName: "c",
        nodeRoleName: "c-karpenter-node",
        zones: ["eu-west-1a", "eu-west-1b"],
        amiAlias: "al2023@v20260903",
        cpuLimit: 200,
      }),
  );
  const pools = Object.fromEntries(manifests(stack, "NodePool").map((pool) => [pool.metadata.name, pool.spec]));

  it("keeps stateful work on demand and stateless workers on spot, across the zones", () => {
    const req = (name: string, key: string) =>
      pools[name].template.spec.requirements.find((requirement: any) => requirement.key === key).values;
    expect(req("stateful", "karpenter.sh/capacity-type")).toEqual(["on-demand"]);
    expect(req("stateless", "karpenter.sh/capacity-type")).toEqual(["spot"]);
    expect(req("stateful", "topology.kubernetes.io/zone")).toEqual(["eu-west-1a", "eu-west-1b"]);
    expect(pools.stateless.template.spec.taints).toEqual([
      { key: "workload-class", value: "stateless", effect: "NoSchedule" },
    ]);
  });

  it("hardens nodes like the managed node groups, on a pinned AMI", () => {
    const nc = manifests(stack, "EC2NodeClass")[0]!.spec;
    expect(nc.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(nc.blockDeviceMappings[0].ebs.encrypted).toBe(true);
    expect(nc.amiSelectorTerms).toEqual([{ alias: "al2023@v20260903" }]);
  });
});

describe("PlatformSecretStore and GeneratedSecrets", () => {
  it("reads AWS Secrets Manager with the controller's own role", () => {
    const stack = synthK8s((scope) => new PlatformSecretStore(scope, "s", { store: awsFoundation.secretStore }));
    expect(manifests(stack, "ClusterSecretStore")[0]!.spec.provider).toEqual({
      aws: { service: "SecretsManager", region: "eu-west-1" },
    });
    expect(resources(stack, "kubernetes_role_v1")).toHaveLength(0);
  });

  it("reads one namespace of the cluster with a read-only role on a plain cluster", () => {
    const stack = synthK8s((scope) => new PlatformSecretStore(scope, "s", { store: localFoundation.secretStore }));
    expect(manifests(stack, "ClusterSecretStore")[0]!.spec.provider.kubernetes.remoteNamespace).toBe("odp-secrets");
    expect(resources(stack, "kubernetes_role_v1")[0]!.rule[0].verbs).toEqual(["get", "list", "watch"]);
  });

  it("generates passwords in the cluster once, never from a literal", () => {
    const stack = synthK8s(
      (scope) =>
        new GeneratedSecrets(scope, "g", {
          namespace: "odp-secrets",
          secrets: { "postgres-airbyte": { username: "airbyte" } },
        }),
    );
    const es = manifests(stack, "ExternalSecret")[0]!;
    expect(es.spec.refreshInterval).toBe("0");
    // The generator's own `password` key is merged with the templated extra keys.
    expect(es.spec.target.template).toEqual({
      engineVersion: "v2",
      mergePolicy: "Merge",
      data: { username: "airbyte" },
    });
    expect(es.spec.dataFrom[0].sourceRef.generatorRef.kind).toBe("Password");
    expect(findLiteralSecrets(stack)).toEqual([]);
  });
});

describe("CertificateIssuers", () => {
  it("bootstraps a CA issuer from a self-signed root", () => {
    const stack = synthK8s(
      (scope) => new CertificateIssuers(scope, "i", { certManagerNamespace: "cert-manager", caIssuer: "platform-ca" }),
    );
    expect(
      manifests(stack, "ClusterIssuer")
        .map((issuer) => issuer.metadata.name)
        .sort(),
    ).toEqual(["platform-ca", "selfsigned-bootstrap"]);
    expect(manifests(stack, "Certificate")[0]!.spec.isCA).toBe(true);
  });
});

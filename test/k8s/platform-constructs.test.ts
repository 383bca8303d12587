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
  const s = synthK8s((scope) => {
    const ns = new PlatformNamespace(scope, "ns", { name: "team" });
    ns.allowEgressTo("postgres", { kind: "cidrs", cidrs: ["10.0.0.0/24"], ports: [5432] }, { app: "api" });
    ns.allowIngressFrom("lb", { kind: "namespace", namespace: "gateway", ports: [8080] });
  });
  const policies = Object.fromEntries(
    resources(s, "kubernetes_network_policy_v1").map((p) => [p.metadata.name, p.spec]),
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
    expect(resources(s, "kubernetes_namespace_v1")[0]!.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe(
      "restricted",
    );
  });
});

describe("AppDatabases", () => {
  const build = (f = awsFoundation) =>
    synthK8s(
      (scope) =>
        new AppDatabases(scope, "db", {
          namespace: "platform-db",
          postgres: { ...f.postgres, admin: f.postgres.admin! },
          apps: { airbyte: {}, temporal: { createdb: true } },
          image: "postgres:17.11-alpine",
        }),
    );
  const s = build();
  const [job] = manifests(s, "Job");
  const jobResource = Object.values(s.resource!.kubernetes_manifest!).find(
    (r: any) => r.manifest.kind === "Job",
  ) as Record<string, any>;

  it("takes every credential from Secrets synced from the store", () => {
    const secrets = manifests(s, "ExternalSecret").map((m) => [
      m.metadata.name,
      m.spec.data.map((d: any) => d.remoteRef.key),
    ]);
    expect(secrets).toContainEqual([
      "postgres-airbyte",
      ["odp/test/postgres-airbyte", "odp/test/postgres-airbyte", "odp/test/postgres-airbyte"],
    ]);
    expect(findLiteralSecrets(s)).toEqual([]);
    const env = job!.spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === "PGPASSWORD").valueFrom.secretKeyRef).toEqual({
      name: "postgres-admin",
      key: "password",
    });
    expect(env.find((e: any) => e.name === "PGSSLMODE").value).toBe("require");
  });

  it("runs as a non-root, read-only, idempotent Job", () => {
    const pod = job!.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 70 });
    expect(pod.containers[0].securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
    const script = resources(s, "kubernetes_config_map_v1")[0]!.data["init.sh"] as string;
    expect(script).toContain("WHERE NOT EXISTS (SELECT 1 FROM pg_roles");
    expect(script).toContain("WHERE NOT EXISTS (SELECT 1 FROM pg_database");
    expect(resources(s, "kubernetes_config_map_v1")[0]!.data.createdb).toBe("temporal\n");
  });

  it("reaches only PostgreSQL", () => {
    const egress = resources(s, "kubernetes_network_policy_v1").find((p) => p.metadata.name === "egress-postgres")!;
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
  const s = synthK8s(
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
  const ing = resources(s, "kubernetes_ingress_v1")[0]!;
  const a = ing.metadata.annotations;

  it("joins the shared HTTPS-only ALB with a TLS 1.3 policy", () => {
    expect(a["alb.ingress.kubernetes.io/group.name"]).toBe("platform");
    expect(a["alb.ingress.kubernetes.io/ssl-redirect"]).toBe("443");
    expect(a["alb.ingress.kubernetes.io/ssl-policy"]).toBe(albSslPolicy);
    expect(albSslPolicy).toMatch(/TLS13/);
    expect(a["alb.ingress.kubernetes.io/certificate-arn"]).toBe("arn:cert");
  });

  it("drops invalid headers, keeps access logs and protects the ALB", () => {
    const attrs = a["alb.ingress.kubernetes.io/load-balancer-attributes"];
    expect(attrs).toContain("routing.http.drop_invalid_header_fields.enabled=true");
    expect(attrs).toContain("deletion_protection.enabled=true");
    expect(attrs).toContain("access_logs.s3.bucket=logs");
  });

  it("publishes the host in DNS", () => {
    expect(resources(s, "aws_route53_record")[0]).toMatchObject({
      name: "airbyte.data.fixture.example",
      type: "CNAME",
      zone_id: "Z1",
    });
  });
});

describe("GatewayRoutes", () => {
  const s = synthK8s(
    (scope) =>
      new GatewayRoutes(scope, "gw", {
        namespace: "envoy-gateway-system",
        domain: "odp.localtest.me",
        clusterIssuer: "platform-ca",
        services: [{ ...svc, host: "airbyte.odp.localtest.me" }],
      }),
  );

  it("terminates TLS with a cert-manager certificate and only redirects HTTP", () => {
    const gw = manifests(s, "Gateway")[0]!;
    expect(gw.spec.listeners.find((l: any) => l.protocol === "HTTPS").tls.certificateRefs[0].name).toBe(
      "platform-gateway-tls",
    );
    expect(manifests(s, "Certificate")[0]!.spec.issuerRef.name).toBe("platform-ca");
    const redirect = manifests(s, "HTTPRoute").find((r) => r.metadata.name === "https-redirect")!;
    expect(redirect.spec.rules[0].filters[0].requestRedirect.scheme).toBe("https");
  });

  it("routes each host to its service over HTTPS", () => {
    const route = manifests(s, "HTTPRoute").find((r) => r.metadata.name === "airbyte")!;
    expect(route.spec).toMatchObject({
      hostnames: ["airbyte.odp.localtest.me"],
      parentRefs: [{ sectionName: "https" }],
      rules: [{ backendRefs: [{ name: "airbyte-server", port: 8001 }] }],
    });
  });
});

describe("KarpenterNodePools", () => {
  const s = synthK8s(
    (scope) =>
      new KarpenterNodePools(scope, "k", {
        clusterName: "c",
        nodeRoleName: "c-karpenter-node",
        zones: ["eu-west-1a", "eu-west-1b"],
        amiAlias: "al2023@v20260903",
        cpuLimit: 200,
      }),
  );
  const pools = Object.fromEntries(manifests(s, "NodePool").map((p) => [p.metadata.name, p.spec]));

  it("keeps stateful work on demand and stateless workers on spot, across the zones", () => {
    const req = (name: string, key: string) =>
      pools[name].template.spec.requirements.find((r: any) => r.key === key).values;
    expect(req("stateful", "karpenter.sh/capacity-type")).toEqual(["on-demand"]);
    expect(req("stateless", "karpenter.sh/capacity-type")).toEqual(["spot"]);
    expect(req("stateful", "topology.kubernetes.io/zone")).toEqual(["eu-west-1a", "eu-west-1b"]);
    expect(pools.stateless.template.spec.taints).toEqual([
      { key: "workload-class", value: "stateless", effect: "NoSchedule" },
    ]);
  });

  it("hardens nodes like the managed node groups, on a pinned AMI", () => {
    const nc = manifests(s, "EC2NodeClass")[0]!.spec;
    expect(nc.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(nc.blockDeviceMappings[0].ebs.encrypted).toBe(true);
    expect(nc.amiSelectorTerms).toEqual([{ alias: "al2023@v20260903" }]);
  });
});

describe("PlatformSecretStore and GeneratedSecrets", () => {
  it("reads AWS Secrets Manager with the controller's own role", () => {
    const s = synthK8s((scope) => new PlatformSecretStore(scope, "s", { store: awsFoundation.secretStore }));
    expect(manifests(s, "ClusterSecretStore")[0]!.spec.provider).toEqual({
      aws: { service: "SecretsManager", region: "eu-west-1" },
    });
    expect(resources(s, "kubernetes_role_v1")).toHaveLength(0);
  });

  it("reads one namespace of the cluster with a read-only role on a plain cluster", () => {
    const s = synthK8s((scope) => new PlatformSecretStore(scope, "s", { store: localFoundation.secretStore }));
    expect(manifests(s, "ClusterSecretStore")[0]!.spec.provider.kubernetes.remoteNamespace).toBe("odp-secrets");
    expect(resources(s, "kubernetes_role_v1")[0]!.rule[0].verbs).toEqual(["get", "list", "watch"]);
  });

  it("generates passwords in the cluster once, never from a literal", () => {
    const s = synthK8s(
      (scope) =>
        new GeneratedSecrets(scope, "g", {
          namespace: "odp-secrets",
          secrets: { "postgres-airbyte": { username: "airbyte" } },
        }),
    );
    const es = manifests(s, "ExternalSecret")[0]!;
    expect(es.spec.refreshInterval).toBe("0");
    // The generator's own `password` key is merged with the templated extra keys.
    expect(es.spec.target.template).toEqual({
      engineVersion: "v2",
      mergePolicy: "Merge",
      data: { username: "airbyte" },
    });
    expect(es.spec.dataFrom[0].sourceRef.generatorRef.kind).toBe("Password");
    expect(findLiteralSecrets(s)).toEqual([]);
  });
});

describe("CertificateIssuers", () => {
  it("bootstraps a CA issuer from a self-signed root", () => {
    const s = synthK8s(
      (scope) => new CertificateIssuers(scope, "i", { certManagerNamespace: "cert-manager", caIssuer: "platform-ca" }),
    );
    expect(
      manifests(s, "ClusterIssuer")
        .map((m) => m.metadata.name)
        .sort(),
    ).toEqual(["platform-ca", "selfsigned-bootstrap"]);
    expect(manifests(s, "Certificate")[0]!.spec.isCA).toBe(true);
  });
});

// Every pinned version of the product lives here: Terraform, providers, EKS and its add-ons,
// database engines, Helm charts and container images. Environment files refer to these; nothing
// else in the code base spells a version.

export const versions = {
  // Ephemeral resources need 1.10, write-only arguments 1.11.
  terraform: ">= 1.11",

  /** Kubernetes versions in EKS standard support that this product is tested against, with the
   *  add-on builds pinned for each (aws eks describe-addon-versions --kubernetes-version X). */
  eks: {
    "1.35": {
      "vpc-cni": "v1.21.1-eksbuild.3",
      coredns: "v1.13.2-eksbuild.3",
      "kube-proxy": "v1.35.0-eksbuild.2",
      "eks-pod-identity-agent": "v1.3.10-eksbuild.2",
      "aws-ebs-csi-driver": "v1.57.1-eksbuild.1",
    },
  },

  /** RDS for PostgreSQL engine and its parameter group family. engineVersion is the minor tested
   *  against; the instances are given its major only (constructs/aws/postgres.ts engineVersionFor),
   *  since RDS upgrades minors automatically and a pinned minor would plan a downgrade after one. */
  postgres: { engineVersion: "17.6", family: "postgres17" },

  /** Helm charts: the official chart of each project (no Bitnami). Their default values at these
   *  versions are read from the reference directory (../shared/chart-values) by the values-keys test. */
  charts: {
    awsLoadBalancerController: {
      repository: "https://aws.github.io/eks-charts",
      chart: "aws-load-balancer-controller",
      version: "3.5.0",
    },
    certManager: { repository: "oci://quay.io/jetstack/charts", chart: "cert-manager", version: "v1.21.1" },
    externalSecrets: { repository: "https://charts.external-secrets.io", chart: "external-secrets", version: "2.9.0" },
    metricsServer: {
      repository: "https://kubernetes-sigs.github.io/metrics-server/",
      chart: "metrics-server",
      version: "3.13.1",
    },
    karpenter: { repository: "oci://public.ecr.aws/karpenter", chart: "karpenter", version: "1.14.1" },
    envoyGateway: { repository: "oci://docker.io/envoyproxy", chart: "gateway-helm", version: "v1.9.0" },
    eckOperator: { repository: "https://helm.elastic.co", chart: "eck-operator", version: "3.5.0" },
    eckElasticsearch: { repository: "https://helm.elastic.co", chart: "eck-elasticsearch", version: "0.20.0" },
    supersetOperator: {
      repository: "oci://ghcr.io/apache/superset-kubernetes-operator/charts",
      chart: "superset-operator",
      version: "0.2.0",
    },
    cloudnativePg: {
      repository: "https://cloudnative-pg.github.io/charts",
      chart: "cloudnative-pg",
      version: "0.29.0",
    },
    cnpgCluster: { repository: "https://cloudnative-pg.github.io/charts", chart: "cluster", version: "0.8.1" },
    minioOperator: { repository: "https://operator.min.io", chart: "operator", version: "7.1.1" },
    minioTenant: { repository: "https://operator.min.io", chart: "tenant", version: "7.1.1" },
    airbyte: { repository: "https://airbytehq.github.io/charts", chart: "airbyte", version: "2.2.0" },
    kubePrometheusStack: {
      repository: "https://prometheus-community.github.io/helm-charts",
      chart: "kube-prometheus-stack",
      version: "88.5.3",
    },
    fluentBit: { repository: "https://fluent.github.io/helm-charts", chart: "fluent-bit", version: "0.58.1" },
  },

  /** Container images the platform runs directly (charts pin their own). */
  images: {
    // The MinIO community edition is archived: no image after this release will ever appear, so
    // pin by digest. Mirror it into your own registry; the public copies are being withdrawn.
    minio:
      "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z@sha256:14cea493d9a34af32f524e538b8346cf79f3321eff8e708c1e2960462bd8936e",
    // CloudNativePG operand (standard flavour: no in-tree Barman; backups go through the plugin).
    cnpgPostgres:
      "ghcr.io/cloudnative-pg/postgresql:17.11-202608170816-standard-trixie@sha256:91e0de662d53895a45f1396f4ee1a75daeb0c26fc87853afc9c8f43e01fdaa21",
    // psql for the database-init Job (official image, not Bitnami).
    psql: "postgres:17.11-alpine",
    superset: { repository: "apache/superset", tag: "6.1.0" },
    // Database drivers the lean Superset image lacks, installed by the operator's bootstrap script.
    supersetDrivers: ["psycopg2-binary==2.9.10", "sqlalchemy-dremio==3.0.4"],
    valkey: "valkey/valkey:8.1.3-alpine",
    elasticsearch: "9.5.0",
    // Dremio OSS: no maintained chart exists, so the platform owns its resources.
    dremio: "dremio/dremio-oss:26.0.5",
    zookeeper: "zookeeper:3.9.5",
    // Standard-library Python for Dremio's bootstrap Job (first admin, service users, lake source).
    python: "python:3.13.9-alpine",
    elasticsearchExporter: "quay.io/prometheuscommunity/elasticsearch-exporter:v1.11.0",
    // EKS-optimized AL2023 AMI release for Karpenter nodes: bump deliberately, nodes roll.
    karpenterAmiAlias: "al2023@v20260903",
  },
} as const;

export type ChartRef = { readonly repository: string; readonly chart: string; readonly version: string };

export type EksVersion = keyof typeof versions.eks;
export const supportedEksVersions = Object.keys(versions.eks) as EksVersion[];
export type EksAddonName = keyof (typeof versions.eks)[EksVersion];

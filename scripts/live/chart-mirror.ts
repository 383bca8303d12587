// The chart mirror of the live tier: for each pinned chart, a stand-in chart of the same name and
// version, made at test time, that installs the chart's real CRDs (from ../shared/crds) and one
// Deployment for its controller; packaged and indexed by the real helm CLI and served on loopback.
// Whether the real charts render with the platform's values is checked elsewhere.
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { basename, join, normalize } from "node:path";
import { parse, stringify } from "yaml";
import { versions } from "../../config/versions";
import { freePort } from "./control-plane";

export interface ChartMirror {
  url: string;
  /** CRD names installed by the stand-ins. */
  crds: string[];
  stop(): Promise<void>;
}

/** The Deployment every stand-in renders: one small controller pod in the release's namespace. */
const controllerTemplate = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}-standin
  namespace: {{ .Release.Namespace }}
  labels:
    app.kubernetes.io/name: {{ .Chart.Name }}
    app.kubernetes.io/instance: {{ .Release.Name }}
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ .Chart.Name }}
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ .Chart.Name }}
        app.kubernetes.io/instance: {{ .Release.Name }}
    spec:
      # Admitted under the restricted Pod Security Standard, as the real controllers are.
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: controller
          image: standin.invalid/{{ .Chart.Name }}:{{ .Chart.Version }}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          resources:
            requests: { cpu: 10m, memory: 32Mi }
            limits: { cpu: 100m, memory: 64Mi }
`;

/**
 * ../shared/crds keeps only each CRD's name in its metadata, so the approval annotation that the
 * API server demands for groups under k8s.io and kubernetes.io (Gateway API) is put back.
 */
function withApproval(text: string): string {
  const crd = parse(text) as { metadata: { annotations?: Record<string, string> }; spec: { group: string } };
  if (!/(^|\.)(k8s\.io|kubernetes\.io)$/.test(crd.spec.group)) return text;
  crd.metadata.annotations = {
    ...crd.metadata.annotations,
    "api-approved.kubernetes.io": "unapproved, live-tier copy without its upstream annotation",
  };
  return stringify(crd);
}

function helm(bin: string, args: string[]): void {
  const result = spawnSync(bin, args, {
    encoding: "utf8",
    env: { ...process.env, HELM_CACHE_HOME: "/nonexistent-helm-cache" },
  });
  if (result.status !== 0) throw new Error(`helm ${args.join(" ")} failed: ${result.stderr}`);
}

export async function startChartMirror(helmBin: string, sharedDir: string, workdir: string): Promise<ChartMirror> {
  const crdRoot = join(sharedDir, "crds");
  if (!existsSync(crdRoot))
    throw new Error(`${crdRoot} is absent: the live tier needs the upstream CRDs from ../shared`);
  const src = join(workdir, "chart-src");
  const repo = join(workdir, "chart-repo");
  mkdirSync(repo, { recursive: true });
  const crds: string[] = [];
  for (const ref of Object.values(versions.charts)) {
    const dir = join(src, ref.chart);
    mkdirSync(join(dir, "templates"), { recursive: true });
    writeFileSync(
      join(dir, "Chart.yaml"),
      stringify({
        apiVersion: "v2",
        name: ref.chart,
        version: ref.version,
        description: `live-tier stand-in for ${ref.chart} ${ref.version}`,
      }),
    );
    writeFileSync(join(dir, "templates", "controller.yaml"), controllerTemplate);
    const crdDir = join(crdRoot, `${ref.chart}-${ref.version}`);
    if (existsSync(crdDir)) {
      mkdirSync(join(dir, "crds"));
      for (const file of readdirSync(crdDir).filter((candidate) => candidate.endsWith(".yaml"))) {
        writeFileSync(join(dir, "crds", file), withApproval(readFileSync(join(crdDir, file), "utf8")));
        crds.push(basename(file, ".yaml"));
      }
    }
    helm(helmBin, ["package", dir, "--destination", repo]);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  helm(helmBin, ["repo", "index", repo, "--url", url]);
  const server: Server = createServer((req, res) => {
    const file = normalize(join(repo, decodeURIComponent(new URL(req.url ?? "/", url).pathname)));
    if (!file.startsWith(repo + "/") || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": file.endsWith(".yaml") ? "text/yaml" : "application/gzip" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url, crds, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

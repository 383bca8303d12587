// A Kubernetes control plane on loopback for the live tier: kine (sqlite) as storage,
// kube-apiserver, kube-controller-manager, kube-scheduler and kwok, each listening on 127.0.0.1
// only. Certificates come from openssl; clients authenticate with a static token.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";
import type { EnginePaths } from "../engines/paths";
import { KubeApi, waitFor, type KubeTarget } from "./kube-api";
import { kwokStages } from "./kwok-stages";
import { track } from "./processes";

export interface ControlPlane {
  target: KubeTarget;
  api: KubeApi;
  kubeconfig: string;
  context: string;
  logs: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

/** A CA, the API server's serving certificate and the service-account key pair. */
function makePki(dir: string): void {
  mkdirSync(dir, { recursive: true });
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-days",
      "2",
      "-subj",
      "/CN=odp-live-ca",
    ],
    dir,
  );
  const sans = [
    "IP:127.0.0.1",
    "IP:10.96.0.1",
    "DNS:localhost",
    "DNS:kubernetes",
    "DNS:kubernetes.default",
    "DNS:kubernetes.default.svc",
    "DNS:kubernetes.default.svc.cluster.local",
  ].join(",");
  writeFileSync(join(dir, "san.cnf"), `subjectAltName=${sans}\nextendedKeyUsage=serverAuth\n`);
  openssl(
    [
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "apiserver.key",
      "-out",
      "apiserver.csr",
      "-subj",
      "/CN=kube-apiserver",
    ],
    dir,
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "apiserver.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "apiserver.crt",
      "-days",
      "2",
      "-extfile",
      "san.cnf",
    ],
    dir,
  );
  openssl(["genrsa", "-out", "sa.key", "2048"], dir);
  openssl(["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
}

function kubeconfigText(server: string, caFile: string, token: string, context: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: context, cluster: { server, "certificate-authority-data": readFileSync(caFile).toString("base64") } },
    ],
    users: [{ name: context, user: { token } }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
  });
}

export async function startControlPlane(engines: EnginePaths, workdir: string, context: string): Promise<ControlPlane> {
  const pki = join(workdir, "pki");
  const logs = join(workdir, "logs");
  mkdirSync(logs, { recursive: true });
  makePki(pki);
  const token = randomBytes(24).toString("hex");
  writeFileSync(join(pki, "tokens.csv"), `${token},live-admin,live-admin,"system:masters"\n`);
  const [etcdPort, apiPort, cmPort, schedPort, kwokPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const server = `https://127.0.0.1:${apiPort}`;
  const kubeconfig = join(workdir, "kubeconfig");
  writeFileSync(kubeconfig, kubeconfigText(server, join(pki, "ca.crt"), token, context));

  const procs: { name: string; proc: ChildProcess }[] = [];
  const start = (name: string, bin: string, args: string[]) => {
    const fd = openSync(join(logs, `${name}.log`), "a");
    const proc = track(spawn(bin, args, { stdio: ["ignore", fd, fd], cwd: workdir }));
    closeSync(fd);
    procs.push({ name, proc });
    return proc;
  };
  const stop = async () => {
    for (const { proc } of [...procs].reverse()) if (proc.exitCode === null) proc.kill("SIGTERM");
    await Promise.all(
      procs.map(
        ({ proc }) =>
          new Promise<void>((resolve) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
            const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
            proc.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
  };

  try {
    start("kine", engines.kine, [
      "--listen-address",
      `127.0.0.1:${etcdPort}`,
      "--endpoint",
      `sqlite://${join(workdir, "kine.db")}?_journal=WAL&cache=shared&_busy_timeout=30000`,
      "--metrics-bind-address",
      "0",
    ]);
    start("kube-apiserver", engines.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${join(pki, "apiserver.crt")}`,
      `--tls-private-key-file=${join(pki, "apiserver.key")}`,
      `--client-ca-file=${join(pki, "ca.crt")}`,
      `--token-auth-file=${join(pki, "tokens.csv")}`,
      "--authorization-mode=Node,RBAC",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${join(pki, "sa.pub")}`,
      `--service-account-signing-key-file=${join(pki, "sa.key")}`,
      "--service-cluster-ip-range=10.96.0.0/16",
      "--allow-privileged=true",
      "--enable-priority-and-fairness=false",
      "--profiling=false",
    ]);
    const target: KubeTarget = { server, ca: readFileSync(join(pki, "ca.crt"), "utf8"), token };
    const api = new KubeApi(target);
    await waitFor("kube-apiserver /readyz", 90_000, async () => (await api.ok("/readyz")) || undefined);
    start("kube-controller-manager", engines.kubeControllerManager, [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${cmPort}`,
      "--leader-elect=false",
      `--service-account-private-key-file=${join(pki, "sa.key")}`,
      `--root-ca-file=${join(pki, "ca.crt")}`,
      "--use-service-account-credentials=false",
      "--cluster-name=odp-live",
      // kwok's nodes have no kubelet to send heartbeats: the lifecycle controller would mark them
      // NotReady after its grace period and every pod on them unready with them.
      "--controllers=*,-node-lifecycle-controller",
      "--profiling=false",
    ]);
    start("kube-scheduler", engines.kubeScheduler, [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${schedPort}`,
      "--leader-elect=false",
      "--profiling=false",
    ]);
    const stages = join(workdir, "kwok-stages.yaml");
    writeFileSync(
      stages,
      kwokStages()
        .map((stage) => stringify(stage))
        .join("---\n"),
    );
    start("kwok", engines.kwok, [
      `--kubeconfig=${kubeconfig}`,
      "--config",
      stages,
      "--manage-all-nodes=true",
      `--server-address=127.0.0.1:${kwokPort}`,
      "--node-ip=127.0.0.1",
    ]);
    // The default service account exists once the controller manager's token controllers run.
    await waitFor(
      "the default namespace's service account",
      60_000,
      async () => (await api.ok("/api/v1/namespaces/default/serviceaccounts/default")) || undefined,
    );
    for (const { name, proc } of procs)
      if (proc.exitCode !== null)
        throw new Error(`${name} exited with ${proc.exitCode}; see ${join(logs, `${name}.log`)}`);
    return { target, api, kubeconfig, context, logs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

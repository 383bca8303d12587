import { join } from "node:path";
import { mkdtempSync } from "node:fs";
import { enginePaths } from "../engines/paths";
import { startControlPlane } from "./control-plane";
import { createKindBaseline } from "./kind-baseline";
import { Provisioner } from "./provisioner";
import { startChartMirror } from "./chart-mirror";
async function main() {
  const paths = enginePaths();
  const wd = mkdtempSync("/tmp/lt/dbg-");
  const cp = await startControlPlane(paths, join(wd, "cluster"), "kind-odp");
  await createKindBaseline(cp.api, "odp", { cpu: 8, memoryGiB: 16 }, "rancher.io/local-path");
  const prov = new Provisioner(cp.api, ["rancher.io/local-path"]); prov.start();
  const m = await startChartMirror(paths.helm, "/work/shared", wd);
  console.log(JSON.stringify({ kubeconfig: cp.kubeconfig, mirror: m.url, wd }));
  await new Promise((r) => setTimeout(r, Number(process.env.HOLD ?? 600) * 1000));
  prov.stop(); await m.stop(); await cp.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });

// The shared builder of hardened pod and container settings, topology spread and probes.
import { describe, expect, it } from "vitest";
import {
  execProbe,
  httpProbe,
  inChartOrder,
  restrictedContainerSecurity,
  restrictedPodSecurity,
  spreadAcross,
  tcpProbe,
} from "../../constructs/k8s/pod-hardening";

describe("restrictedPodSecurity", () => {
  it("is non-root with the RuntimeDefault seccomp profile, the image's user by default", () => {
    expect(restrictedPodSecurity()).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
  });

  it("states uid, gid (the uid unless given) and fsGroup when asked", () => {
    expect(
      restrictedPodSecurity({ uid: 1000, gid: 2000, fsGroup: 2000, fsGroupChangePolicy: "OnRootMismatch" }),
    ).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 2000,
      fsGroup: 2000,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(restrictedPodSecurity({ uid: 70 }).runAsGroup).toBe(70);
  });

  it("returns fresh objects, so serialized values carry no aliases", () => {
    expect(restrictedPodSecurity().seccompProfile).not.toBe(restrictedPodSecurity().seccompProfile);
  });
});

describe("restrictedContainerSecurity", () => {
  it("drops every capability, forbids escalation and keeps the root file system read-only", () => {
    expect(restrictedContainerSecurity()).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
  });

  it("keeps the root file system writable only with a reason", () => {
    const sc = restrictedContainerSecurity({
      uid: 1000,
      writableRootFilesystem: { because: "the JVM writes under /tmp" },
    });
    expect(sc.readOnlyRootFilesystem).toBe(false);
    expect(sc).toMatchObject({
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      capabilities: { drop: ["ALL"] },
    });
  });

  it("refuses a writable root file system without a reason, at type and at run time", () => {
    // @ts-expect-error: the profile's settings are not options; relaxing one needs a reason.
    expect(() => restrictedContainerSecurity({ readOnlyRootFilesystem: false })).toThrow(
      /readOnlyRootFilesystem is not an option/,
    );
    // @ts-expect-error: a bare flag is no reason.
    expect(() => restrictedContainerSecurity({ writableRootFilesystem: true })).toThrow(/needs a reason/);
    expect(() => restrictedContainerSecurity({ writableRootFilesystem: { because: "  " } })).toThrow(
      /writableRootFilesystem needs a reason/,
    );
    // @ts-expect-error: privilege escalation cannot be switched on through the builder.
    expect(() => restrictedContainerSecurity({ allowPrivilegeEscalation: true })).toThrow(/allowPrivilegeEscalation/);
  });

  it("runs as root only with a reason, and still drops everything else", () => {
    expect(() => restrictedContainerSecurity({ root: { because: "" } })).toThrow(/root needs a reason/);
    expect(() => restrictedContainerSecurity({ root: { because: "host files" }, uid: 1000 })).toThrow(
      /root excludes uid/,
    );
    expect(restrictedContainerSecurity({ root: { because: "the host's log files are root's" } })).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
  });

  it("leaves runAsNonRoot to the pod when told, and repeats seccomp for charts when asked", () => {
    expect(restrictedContainerSecurity({ nonRootStatedIn: "pod" }).runAsNonRoot).toBeUndefined();
    expect(restrictedContainerSecurity({ seccomp: true }).seccompProfile).toEqual({ type: "RuntimeDefault" });
  });
});

describe("spreadAcross", () => {
  it("spreads the selected pods across zones or hosts with a skew of one", () => {
    const labels = { "app.kubernetes.io/name": "x" };
    const zone = spreadAcross("zone", labels, {
      whenUnsatisfiable: "DoNotSchedule",
      matchLabelKeys: ["pod-template-hash"],
    });
    expect(zone).toEqual({
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      labelSelector: { matchLabels: labels },
      matchLabelKeys: ["pod-template-hash"],
    });
    expect(zone.labelSelector!.matchLabels).not.toBe(labels);
    expect(spreadAcross("host", labels, { whenUnsatisfiable: "ScheduleAnyway" })).toEqual({
      maxSkew: 1,
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels: labels },
    });
  });
});

describe("probes", () => {
  it("build HTTP, TCP and exec handlers with the given timing", () => {
    expect(httpProbe("/health", "web", { periodSeconds: 10 })).toEqual({
      httpGet: { path: "/health", port: "web" },
      periodSeconds: 10,
    });
    expect(httpProbe("/live", 9000, {}, "HTTP")).toEqual({ httpGet: { path: "/live", port: 9000, scheme: "HTTP" } });
    expect(tcpProbe("fabric", { failureThreshold: 3 })).toEqual({ tcpSocket: { port: "fabric" }, failureThreshold: 3 });
    expect(execProbe(["sh", "-c", "true"])).toEqual({ exec: { command: ["sh", "-c", "true"] } });
  });
});

describe("inChartOrder", () => {
  it("reorders keys for a chart and refuses to drop one silently", () => {
    const sc = restrictedContainerSecurity({ uid: 1000 });
    const ordered = inChartOrder(
      sc,
      ["runAsUser", "runAsGroup", "runAsNonRoot", "allowPrivilegeEscalation", "capabilities"],
      ["readOnlyRootFilesystem"],
    );
    expect(Object.keys(ordered)).toEqual([
      "runAsUser",
      "runAsGroup",
      "runAsNonRoot",
      "allowPrivilegeEscalation",
      "capabilities",
    ]);
    expect(() => inChartOrder(sc, ["runAsUser"])).toThrow(/neither ordered nor omitted/);
  });
});

describe("every workload", () => {
  it("takes its hardening, spread and probe handlers from the builder, not spelled out", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const root = join(__dirname, "../../constructs");
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter(
      (file) => file.endsWith(".ts") && !file.endsWith("pod-hardening.ts"),
    );
    const spelled = /\b(allowPrivilegeEscalation|runAsNonRoot|seccompProfile|maxSkew|httpGet|tcpSocket)\s*:/;
    const offenders = files.filter((file) =>
      spelled.test(readFileSync(join(root, file), "utf8").replace(/^\s*\/\/.*$/gm, "")),
    );
    expect(offenders).toEqual([]);
  });
});

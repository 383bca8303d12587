// A few calls to the Kubernetes API for the live tier (create, get, list, patch, delete), over
// HTTPS with the test cluster's CA and a bearer token. Hand-written rather than a client library:
// the live tier needs six verbs on plain JSON, and the official Node client pulls in far more.
import { request } from "node:https";

export interface KubeTarget {
  server: string;
  ca: string;
  token: string;
}

export class KubeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** JSON, or the text itself for endpoints such as /readyz that answer "ok". */
function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; [k: string]: any };
  [k: string]: any;
};

export class KubeApi {
  constructor(private readonly target: KubeTarget) {}

  call(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<any> {
    const url = new URL(path, this.target.server);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.target.ca,
          headers: {
            authorization: `Bearer ${this.target.token}`,
            accept: "application/json",
            ...(payload ? { "content-type": contentType, "content-length": payload.length } : {}),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(parseBody(text));
            else reject(new KubeError(status, `${method} ${url.pathname}: ${status} ${text.slice(0, 300)}`));
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${url.pathname}: timed out`)));
      req.on("error", reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  get(path: string): Promise<any> {
    return this.call("GET", path);
  }

  async list(path: string): Promise<KubeObject[]> {
    return ((await this.get(path)) as { items: KubeObject[] }).items;
  }

  create(path: string, obj: unknown): Promise<any> {
    return this.call("POST", path, obj);
  }

  /** Creates the object, or leaves an existing one as it is. */
  async ensure(path: string, obj: KubeObject): Promise<void> {
    try {
      await this.create(path, obj);
    } catch (error) {
      if (!(error instanceof KubeError && error.status === 409)) throw error;
    }
  }

  mergePatch(path: string, patch: unknown): Promise<any> {
    return this.call("PATCH", path, patch, "application/merge-patch+json");
  }

  async delete(path: string): Promise<void> {
    try {
      await this.call("DELETE", path);
    } catch (error) {
      if (!(error instanceof KubeError && error.status === 404)) throw error;
    }
  }

  /** True once GET path answers 200. */
  async ok(path: string): Promise<boolean> {
    try {
      await this.get(path);
      return true;
    } catch {
      return false;
    }
  }
}

/** The REST path of a collection, for the core group ("v1") or a named group version. */
export function collectionPath(apiVersion: string, plural: string, namespace?: string): string {
  const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return namespace ? `${base}/namespaces/${namespace}/${plural}` : `${base}/${plural}`;
}

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined | false>,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last ? ` (${(last as Error).message})` : ""}`,
  );
}

/** Runs `tick` every interval, never two at once, keeping the last error for a failure message. */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  lastError: string | undefined;

  constructor(private readonly tick: () => Promise<void>) {}

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = true;
      this.tick()
        .catch((error: Error) => (this.lastError = error.message))
        .finally(() => (this.running = false));
    }, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

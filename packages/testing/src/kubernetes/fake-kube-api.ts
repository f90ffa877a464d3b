import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import os from "node:os";
import path from "node:path";

// biome-ignore lint/suspicious/noExplicitAny: a fake over free-form Kubernetes JSON
type Obj = Record<string, any>;

const VERBS = ["create", "delete", "get", "list", "patch", "update"];
const res = (name: string, kind: string, namespaced = true) => ({
  name,
  singularName: "",
  namespaced,
  kind,
  verbs: VERBS,
});
const group = (name: string) => ({
  name,
  versions: [{ groupVersion: `${name}/v1`, version: "v1" }],
  preferredVersion: { groupVersion: `${name}/v1`, version: "v1" },
});

/** Legacy discovery documents: what the client library and `kubectl` use to map kinds to resources. */
const DISCOVERY: Record<string, Obj> = {
  "/api": {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }],
  },
  "/apis": {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [group("apps"), group("rbac.authorization.k8s.io"), group("coordination.k8s.io")],
  },
  "/api/v1": {
    kind: "APIResourceList",
    groupVersion: "v1",
    resources: [
      res("pods", "Pod"),
      res("pods/log", "Pod"),
      res("services", "Service"),
      res("configmaps", "ConfigMap"),
      res("serviceaccounts", "ServiceAccount"),
      res("namespaces", "Namespace", false),
    ],
  },
  "/apis/apps/v1": {
    kind: "APIResourceList",
    groupVersion: "apps/v1",
    resources: [res("deployments", "Deployment"), res("deployments/scale", "Scale")],
  },
  "/apis/rbac.authorization.k8s.io/v1": {
    kind: "APIResourceList",
    groupVersion: "rbac.authorization.k8s.io/v1",
    resources: [res("roles", "Role"), res("rolebindings", "RoleBinding")],
  },
  "/apis/coordination.k8s.io/v1": {
    kind: "APIResourceList",
    groupVersion: "coordination.k8s.io/v1",
    resources: [res("leases", "Lease")],
  },
};

const KINDS: Record<string, { kind: string; apiVersion: string }> = {
  pods: { kind: "Pod", apiVersion: "v1" },
  services: { kind: "Service", apiVersion: "v1" },
  configmaps: { kind: "ConfigMap", apiVersion: "v1" },
  deployments: { kind: "Deployment", apiVersion: "apps/v1" },
  leases: { kind: "Lease", apiVersion: "coordination.k8s.io/v1" },
  serviceaccounts: { kind: "ServiceAccount", apiVersion: "v1" },
  namespaces: { kind: "Namespace", apiVersion: "v1" },
  roles: { kind: "Role", apiVersion: "rbac.authorization.k8s.io/v1" },
  rolebindings: { kind: "RoleBinding", apiVersion: "rbac.authorization.k8s.io/v1" },
};

function mergePatch(target: Obj, patch: Obj): Obj {
  const out: Obj = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v && typeof v === "object" && !Array.isArray(v) && out[k] && typeof out[k] === "object")
      out[k] = mergePatch(out[k], v);
    else out[k] = v;
  }
  return out;
}

function matchesSelector(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const [k, v] = term.split("=");
    return labels?.[k as string] === v;
  });
}

/**
 * An in-memory Kubernetes API server speaking the JSON wire format for the subset codetether uses:
 * discovery, deployments (get, server-side apply, merge patch, scale), pods (list, create, delete, log),
 * services/configmaps (apply), leases (get, create, replace with resourceVersion conflicts). A tiny
 * ReplicaSet controller keeps each deployment's pod count at its replicas.
 */
export class FakeKubeApi {
  readonly store = new Map<string, Obj>();
  readonly requests: Array<{ method: string; path: string; contentType?: string; body?: unknown }> = [];
  /** `"<verb> <resource>"` pairs answered with 403, e.g. `"delete pods"`. */
  readonly forbidden = new Set<string>();
  /** When true, every request is answered 503 (API server down). */
  down = false;
  podLogs = new Map<string, string>();
  private rv = 1;
  private server = http.createServer((req, res) => this.handle(req, res));
  private sockets = new Set<Socket>();
  url = "";

  async start(): Promise<this> {
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Writes a kubeconfig pointing the real client at this server. */
  writeKubeconfig(dir = fs.mkdtempSync(path.join(os.tmpdir(), "ct-kube-"))): string {
    const file = path.join(dir, "config");
    fs.writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- name: fake\n  cluster:\n    server: ${this.url}\n    insecure-skip-tls-verify: true`,
        "users:",
        "- name: tester\n  user:\n    token: fake-token",
        "contexts:",
        "- name: fake\n  context:\n    cluster: fake\n    user: tester\n    namespace: agents",
        "current-context: fake",
        "",
      ].join("\n"),
    );
    return file;
  }

  key(resource: string, ns: string, name: string): string {
    return `${resource}/${ns}/${name}`;
  }

  put(resource: string, ns: string, obj: Obj): Obj {
    const meta = obj.metadata ?? {};
    const prev = this.store.get(this.key(resource, ns, meta.name));
    const stored = {
      ...KINDS[resource],
      ...obj,
      metadata: {
        ...meta,
        namespace: ns,
        uid: prev?.metadata?.uid ?? randomUUID(),
        creationTimestamp: prev?.metadata?.creationTimestamp ?? new Date().toISOString(),
        resourceVersion: String(this.rv++),
      },
    };
    this.store.set(this.key(resource, ns, meta.name), stored);
    return stored;
  }

  list(resource: string, ns: string, selector: string | null = null): Obj[] {
    return [...this.store.entries()]
      .filter(([k]) => k.startsWith(`${resource}/${ns}/`))
      .map(([, v]) => v)
      .filter((o) => matchesSelector(o.metadata?.labels, selector));
  }

  /** A healthy Ready pod (tests flip its status to simulate failures). */
  readyPod(name: string, labels: Record<string, string>): Obj {
    return {
      metadata: { name, labels },
      spec: { containers: [{ name: "codetether", image: "x" }] },
      status: {
        phase: "Running",
        startTime: new Date().toISOString(),
        conditions: [{ type: "Ready", status: "True" }],
        containerStatuses: [
          {
            name: "codetether",
            ready: true,
            restartCount: 0,
            image: "x",
            imageID: "x",
            state: { running: {} },
          },
        ],
      },
    };
  }

  /** ReplicaSet controller: each deployment keeps `replicas` live pods matching its template labels. */
  reconcileReplicas(): void {
    for (const [key, d] of this.store) {
      if (!key.startsWith("deployments/")) continue;
      const ns = d.metadata.namespace;
      const labels = d.spec?.template?.metadata?.labels ?? {};
      const selector = Object.entries(d.spec?.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
      const pods = this.list("pods", ns, selector);
      const want = d.spec?.replicas ?? 1;
      for (let i = pods.length; i < want; i++)
        this.put("pods", ns, this.readyPod(`${d.metadata.name}-${randomUUID().slice(0, 5)}`, labels));
      for (const extra of pods.slice(want)) this.store.delete(this.key("pods", ns, extra.metadata.name));
      const live = Math.min(want, this.list("pods", ns, selector).length);
      d.status = { replicas: want, readyReplicas: live, availableReplicas: live };
    }
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private status(res: http.ServerResponse, code: number, reason: string, message: string): void {
    this.send(res, code, { kind: "Status", apiVersion: "v1", status: "Failure", reason, message, code });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.url);
    const contentType = req.headers["content-type"];
    const body = raw ? JSON.parse(raw) : undefined;
    this.requests.push({
      method: req.method ?? "GET",
      path: url.pathname,
      ...(contentType ? { contentType } : {}),
      body,
    });
    if (this.down) return this.status(res, 503, "ServiceUnavailable", "the API server is down");
    if (DISCOVERY[url.pathname]) return this.send(res, 200, DISCOVERY[url.pathname]);

    // Namespaces are cluster-scoped: stored as resource "namespaces" in a pseudo-namespace "".
    const clusterScoped = url.pathname.match(/^\/api\/v1\/(namespaces)(?:\/([^/]+))?$/);
    const m = clusterScoped
      ? [url.pathname, "", "namespaces", clusterScoped[2], undefined]
      : url.pathname.match(
          /^\/(?:api\/v1|apis\/[^/]+\/v1)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/,
        );
    if (!m) return this.status(res, 404, "NotFound", `no route ${url.pathname}`);
    const [, ns, resource, name, sub] = m as unknown as [
      string,
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    const verb =
      { GET: name ? "get" : "list", POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" }[
        req.method ?? "GET"
      ] ?? "get";
    if (this.forbidden.has(`${verb} ${resource}`)) {
      return this.status(
        res,
        403,
        "Forbidden",
        `${resource} is forbidden: User "system:serviceaccount:${ns}:codetether" cannot ${verb} resource "${resource}"`,
      );
    }
    const key = name ? this.key(resource, ns, name) : "";
    const existing = name ? this.store.get(key) : undefined;

    if (req.method === "GET" && !name) {
      const items = this.list(resource, ns, url.searchParams.get("labelSelector"));
      return this.send(res, 200, {
        kind: `${KINDS[resource]?.kind}List`,
        apiVersion: KINDS[resource]?.apiVersion,
        metadata: { resourceVersion: String(this.rv) },
        items,
      });
    }
    if (req.method === "GET" && sub === "log") {
      if (!existing) return this.status(res, 404, "NotFound", `pods "${name}" not found`);
      res.writeHead(200, { "content-type": "text/plain" });
      return void res.end(this.podLogs.get(name as string) ?? "");
    }
    if (req.method === "GET") {
      return existing
        ? this.send(res, 200, existing)
        : this.status(res, 404, "NotFound", `${resource} "${name}" not found`);
    }
    if (req.method === "POST") {
      if (this.store.has(this.key(resource, ns, body.metadata.name)))
        return this.status(res, 409, "AlreadyExists", `${resource} "${body.metadata.name}" already exists`);
      const created = this.put(resource, ns, body);
      return this.send(res, 201, created);
    }
    if (req.method === "PUT") {
      if (!existing) return this.status(res, 404, "NotFound", `${resource} "${name}" not found`);
      if (body.metadata?.resourceVersion !== existing.metadata.resourceVersion) {
        return this.status(
          res,
          409,
          "Conflict",
          `the object has been modified; please apply your changes to the latest version`,
        );
      }
      return this.send(res, 200, this.put(resource, ns, body));
    }
    if (req.method === "DELETE") {
      if (!existing) return this.status(res, 404, "NotFound", `${resource} "${name}" not found`);
      this.store.delete(key);
      this.reconcileReplicas();
      return this.send(res, 200, existing);
    }
    if (req.method === "PATCH") {
      if (sub === "scale") {
        if (!existing) return this.status(res, 404, "NotFound", `deployments "${name}" not found`);
        existing.spec.replicas = body.spec.replicas;
        this.put(resource, ns, existing);
        this.reconcileReplicas();
        return this.send(res, 200, {
          kind: "Scale",
          apiVersion: "autoscaling/v1",
          metadata: { name, namespace: ns },
          spec: { replicas: body.spec.replicas },
        });
      }
      const isApply = String(contentType).startsWith("application/apply-patch");
      if (!existing && !isApply) return this.status(res, 404, "NotFound", `${resource} "${name}" not found`);
      if (isApply && url.searchParams.get("fieldManager") !== "codetether") {
        return this.status(res, 422, "Invalid", "fieldManager is required for apply patch");
      }
      const merged = existing ? mergePatch(existing, body) : body;
      const stored = this.put(resource, ns, merged);
      if (resource === "deployments") {
        // A changed pod template rolls every pod (new names), like a real rollout.
        const before = JSON.stringify(existing?.spec?.template ?? null);
        if (existing && before !== JSON.stringify(stored.spec?.template)) {
          for (const p of this.list(
            "pods",
            ns,
            Object.entries(stored.spec?.selector?.matchLabels ?? {})
              .map(([k, v]) => `${k}=${v}`)
              .join(","),
          )) {
            this.store.delete(this.key("pods", ns, p.metadata.name));
          }
        }
        this.reconcileReplicas();
      }
      return this.send(res, 200, this.store.get(this.key(resource, ns, name as string)));
    }
    return this.status(res, 405, "MethodNotAllowed", `${req.method} not supported`);
  }
}

import { lazySchema } from "@codetether/core";
import { type Request, type Response, Router } from "express";
import { z } from "zod";
import { K8sError } from "./k8s-error.js";
import type { K8sIntegration } from "./k8s-integration.js";
import { SubagentRequestSchema } from "./subagent-pods.js";

const ScaleBody = lazySchema(() => z.object({ replicas: z.number().int().min(0).max(100) }));

function fail(res: Response, err: unknown): void {
  if (err instanceof K8sError) {
    res.status(err.httpStatus).json({ error: { kind: err.kind, message: err.message } });
  } else if (err instanceof z.ZodError) {
    res.status(400).json({
      error: {
        kind: "invalid",
        message: "Invalid request body",
        fields: err.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      },
    });
  } else {
    res.status(500).json({ error: { kind: "unknown", message: (err as Error).message ?? String(err) } });
  }
}

function handle(fn: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response) => {
    fn(req, res).catch((err) => fail(res, err));
  };
}

/**
 * `/v1/k8s/*` routes, relative to `K8S_MOUNT_PATH` (k8s-routes.ts). Mount behind the server's auth and audit middleware; this router adds neither.
 * A disabled cluster answers 409 with the reason, an unreachable API server 503.
 */
export function createK8sRouter(k8s: K8sIntegration): Router {
  const router = Router();
  router.get(
    "/status",
    handle(async (_req, res) => {
      res.json({
        ...(await k8s.manager.status()),
        reconciler: k8s.reconciler.status,
        actions: k8s.manager.history.list(20),
      });
    }),
  );
  router.post(
    "/scale",
    handle(async (req, res) => {
      const { replicas } = ScaleBody.parse(req.body ?? {});
      await k8s.manager.scale(replicas);
      res.json({ ok: true, replicas });
    }),
  );
  router.post(
    "/health",
    handle(async (_req, res) => {
      const pods = await k8s.manager.pods();
      res.json({ healthy: pods.every((p) => p.healthy), pods });
    }),
  );
  router.post(
    "/reconcile",
    handle(async (_req, res) => {
      k8s.manager.api();
      res.json(await k8s.reconciler.runOnce());
    }),
  );
  router.get(
    "/pods",
    handle(async (_req, res) => {
      res.json({ pods: await k8s.manager.pods() });
    }),
  );
  router.post(
    "/restart",
    handle(async (_req, res) => {
      res.json({ ok: true, restartedAt: await k8s.manager.restart() });
    }),
  );
  router.post(
    "/subagent",
    handle(async (req, res) => {
      const body = SubagentRequestSchema.parse(req.body ?? {});
      res.status(201).json(await k8s.subagents.spawn(body));
    }),
  );
  router.get(
    "/subagent/:id",
    handle(async (req, res) => {
      res.json(await k8s.subagents.get(String(req.params.id)));
    }),
  );
  router.delete(
    "/subagent/:id",
    handle(async (req, res) => {
      await k8s.subagents.delete(String(req.params.id));
      res.json({ ok: true });
    }),
  );
  return router;
}

import {
  type CognitionEngine,
  CreatePersonaRequestSchema,
  ReapPersonaRequestSchema,
  SpawnPersonaRequestSchema,
  StartCognitionRequestSchema,
  StopCognitionRequestSchema,
  type ThoughtEvent,
} from "@codetether/a2a/lite";
import type { Request, Response } from "express";
import type { z } from "zod";
import { sendError, sendThrown, sendValidationError } from "../http-errors.js";
import type { RouteSpec } from "../route-table.js";

function body<T extends z.ZodType>(
  schema: T,
  req: Request,
  res: Response,
  where: string,
): z.infer<T> | undefined {
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) {
    sendValidationError(res, parsed.error, where);
    return undefined;
  }
  return parsed.data;
}

export interface CognitionStreams {
  /** Open SSE responses, closed on shutdown. */
  open: Set<Response>;
  keepAliveMs: number;
}

export function cognitionRoutes(engine: CognitionEngine, streams: CognitionStreams): RouteSpec[] {
  return [
    {
      method: "POST",
      path: "/v1/cognition/start",
      summary: "Start the loop ({loop_interval_ms?, seed_persona?}); seeds root-thinker by default",
      handler: async (req, res) => {
        const input = body(StartCognitionRequestSchema, req, res, "cognition start body");
        if (input) res.json(await engine.start(input).catch((e) => sendThrown(res, e, "cognition start")));
      },
    },
    {
      method: "POST",
      path: "/v1/cognition/stop",
      summary: "Stop the loop ({reason?})",
      handler: async (req, res) => {
        const input = body(StopCognitionRequestSchema, req, res, "cognition stop body");
        if (input) res.json(await engine.stop(input.reason));
      },
    },
    {
      method: "GET",
      path: "/v1/cognition/status",
      summary: "Loop status, persona counts, latest thought",
      handler: (_req, res) => {
        res.json(engine.status());
      },
    },
    {
      method: "GET",
      path: "/v1/cognition/stream",
      summary: "SSE of thought events (event: cognition); ?replay=N sends the last N buffered first",
      handler: (req, res) => streamThoughts(engine, streams, req, res),
    },
    {
      method: "GET",
      path: "/v1/cognition/snapshots/latest",
      summary: "Latest memory snapshot (404 when none yet)",
      handler: (_req, res) => {
        const snapshot = engine.latestSnapshot();
        if (!snapshot)
          return sendError(
            res,
            404,
            "not_found",
            "No memory snapshot yet; the loop writes one every fourth step.",
          );
        res.json(snapshot);
      },
    },
    {
      method: "POST",
      path: "/v1/swarm/personas",
      summary: "Create a persona",
      handler: (req, res) => {
        const input = body(CreatePersonaRequestSchema, req, res, "persona body");
        if (!input) return;
        try {
          res.status(201).json(engine.createPersona(input));
        } catch (err) {
          sendThrown(res, err, "persona creation");
        }
      },
    },
    {
      method: "POST",
      path: "/v1/swarm/personas/:id/spawn",
      summary: "Spawn a child persona",
      handler: (req, res) => {
        const input = body(SpawnPersonaRequestSchema, req, res, "spawn body");
        if (!input) return;
        try {
          res.status(201).json(engine.spawn(String(req.params.id), input));
        } catch (err) {
          sendThrown(res, err, "spawn");
        }
      },
    },
    {
      method: "POST",
      path: "/v1/swarm/personas/:id/reap",
      summary: "Reap a persona ({cascade?, reason?})",
      handler: (req, res) => {
        const input = body(ReapPersonaRequestSchema, req, res, "reap body");
        if (!input) return;
        try {
          res.json(engine.reap(String(req.params.id), input));
        } catch (err) {
          sendThrown(res, err, "reap");
        }
      },
    },
    {
      method: "GET",
      path: "/v1/swarm/lineage",
      summary: "Persona tree",
      handler: (_req, res) => {
        res.json(engine.lineage());
      },
    },
  ];
}

function streamThoughts(
  engine: CognitionEngine,
  streams: CognitionStreams,
  req: Request,
  res: Response,
): void {
  const replay = Math.min(Math.max(Number.parseInt(String(req.query.replay ?? "0"), 10) || 0, 0), 1000);
  res.writeHead(200, {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  res.write(": connected\n\n");
  streams.open.add(res);
  let skipped = 0;
  let blocked = false;
  const send = (event: ThoughtEvent) => {
    if (blocked) {
      skipped++;
      return;
    }
    if (!res.write(`event: cognition\nid: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`)) blocked = true;
  };
  res.on("drain", () => {
    blocked = false;
    if (skipped > 0) {
      res.write(`event: lag\ndata: ${JSON.stringify({ skipped })}\n\n`);
      skipped = 0;
    }
  });
  if (replay > 0) for (const event of engine.recentEvents(replay)) send(event);
  const unsubscribe = engine.subscribe(send);
  const timer = setInterval(() => res.write(": keep-alive\n\n"), streams.keepAliveMs);
  timer.unref();
  res.on("close", () => {
    clearInterval(timer);
    unsubscribe();
    streams.open.delete(res);
  });
}

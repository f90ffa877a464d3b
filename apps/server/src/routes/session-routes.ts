import type { SessionStore } from "@codetether/core";
import { lazySchema } from "@codetether/core";
import { z } from "zod";
import { sendError, sendValidationError } from "../http-errors.js";
import type { RouteSpec } from "../route-table.js";

const ListQuery = lazySchema(() => z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50) }));
const SESSION_ID = /^[A-Za-z0-9_.-]{1,200}$/;

export function sessionRoutes(store: SessionStore): RouteSpec[] {
  return [
    {
      method: "GET",
      path: "/v1/sessions",
      summary: "List sessions, newest first (?limit, default 50)",
      handler: async (req, res) => {
        const query = ListQuery.safeParse(req.query);
        if (!query.success) return sendValidationError(res, query.error, "query");
        const sessions = await store.list();
        res.json({ sessions: sessions.slice(0, query.data.limit), total: sessions.length });
      },
    },
    {
      method: "GET",
      path: "/v1/sessions/:id",
      summary: "One session with its full history",
      handler: async (req, res) => {
        const id = String(req.params.id);
        if (!SESSION_ID.test(id)) {
          return sendError(
            res,
            400,
            "invalid_request",
            `Invalid session id "${id}": use letters, digits, "_", "-" or ".".`,
          );
        }
        try {
          res.json(await store.load(id));
        } catch {
          sendError(res, 404, "not_found", `No session "${id}". List sessions with GET /v1/sessions.`);
        }
      },
    },
  ];
}

import { lazySchema } from "@codetether/core";
import { type AuditLog, AuditQuerySchema } from "@codetether/security";
import { z } from "zod";
import { sendThrown, sendValidationError } from "../http-errors.js";
import type { RouteSpec } from "../route-table.js";

const EventsQuery = lazySchema(() =>
  z
    .object({
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      after: z.coerce.number().int().min(0).optional(),
    })
    .strict(),
);

export function auditRoutes(audit: AuditLog): RouteSpec[] {
  return [
    {
      method: "GET",
      path: "/v1/audit/events",
      summary: "Audit records oldest first (?limit ≤ 1000, ?after=<seq> to page)",
      handler: async (req, res) => {
        const query = EventsQuery.safeParse(req.query);
        if (!query.success) return sendValidationError(res, query.error, "query");
        res.json(await audit.query(query.data));
      },
    },
    {
      method: "POST",
      path: "/v1/audit/query",
      summary: "Filter audit records (actor, action, resource, outcome, since, until, after, limit)",
      handler: async (req, res) => {
        const body = AuditQuerySchema.safeParse(req.body ?? {});
        if (!body.success) return sendValidationError(res, body.error, "audit query body");
        try {
          res.json(await audit.query(req.body ?? {}));
        } catch (err) {
          sendThrown(res, err, "audit query");
        }
      },
    },
  ];
}

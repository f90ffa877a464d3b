import { lazySchema } from "@codetether/core";
import { z } from "zod";
import { listAuditFiles, readLines } from "./audit-files.js";
import { type AuditRecord, AuditRecordSchema } from "./audit-record.js";

const timeBound = lazySchema(() =>
  z.union([z.string(), z.date()]).transform((value, ctx) => {
    const ms = value instanceof Date ? value.getTime() : Date.parse(value);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: "custom", message: `not a date/time: ${String(value)} (use ISO 8601)` });
      return z.NEVER;
    }
    return ms;
  }),
);

/** Filters for `AuditLog.query` (also the body of `POST /v1/audit/query`). Exact-match string filters. */
export const AuditQuerySchema = lazySchema(() =>
  z
    .object({
      actor: z.string().optional(),
      action: z.string().optional(),
      resource: z.string().optional(),
      outcome: z.string().optional(),
      /** Inclusive lower bound on `time` (ISO 8601 or Date). */
      since: timeBound.optional(),
      /** Exclusive upper bound on `time`. */
      until: timeBound.optional(),
      /** Paging cursor: only records with `seq > after`. */
      after: z.number().int().nonnegative().optional(),
      /** Page size, default 100, at most 1000. */
      limit: z.number().int().positive().max(1000).optional(),
    })
    .strict(),
);

export type AuditQuery = z.input<typeof AuditQuerySchema>;

export interface AuditQueryResult {
  records: AuditRecord[];
  /** Pass as `after` to get the next page; absent on the last page. */
  next_after?: number;
}

/** Scans the log oldest first and returns one page of matching records. */
export function queryAuditDir(dir: string, query: AuditQuery): AuditQueryResult {
  const parsed = AuditQuerySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid audit query: ${issue?.path.join(".") || "query"}: ${issue?.message}`);
  }
  const q = parsed.data;
  const limit = q.limit ?? 100;
  const records: AuditRecord[] = [];
  for (const file of listAuditFiles(dir)) {
    for (const text of readLines(file).lines) {
      let record: AuditRecord;
      try {
        const result = AuditRecordSchema.safeParse(JSON.parse(text));
        if (!result.success) continue;
        record = result.data;
      } catch {
        continue; // verify() reports damage; queries skip unreadable lines
      }
      if (q.after !== undefined && record.seq <= q.after) continue;
      if (q.actor !== undefined && record.actor !== q.actor) continue;
      if (q.action !== undefined && record.action !== q.action) continue;
      if (q.resource !== undefined && record.resource !== q.resource) continue;
      if (q.outcome !== undefined && record.outcome !== q.outcome) continue;
      const time = Date.parse(record.time);
      if (q.since !== undefined && time < q.since) continue;
      if (q.until !== undefined && time >= q.until) continue;
      if (records.length === limit) return { records, next_after: records.at(-1)!.seq };
      records.push(record);
    }
  }
  return { records };
}

/**
 * Builds a query from URL parameters (`GET /v1/audit/events?limit=50&after=120&actor=...`): numeric fields
 * are converted, unknown parameters rejected. Validate with `AuditQuerySchema` errors (thrown by the query).
 */
export function auditQueryFromSearchParams(
  params: URLSearchParams | Record<string, string | undefined>,
): AuditQuery {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (value === undefined || value === "") continue;
    if (!Object.hasOwn(AuditQuerySchema.shape, key))
      throw new Error(`invalid audit query: unknown parameter "${key}"`);
    if (key === "after" || key === "limit") {
      const n = Number(value);
      if (!Number.isInteger(n))
        throw new Error(`invalid audit query: ${key} must be an integer, got "${value}"`);
      out[key] = n;
    } else {
      out[key] = value;
    }
  }
  const parsed = AuditQuerySchema.safeParse(out);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid audit query: ${issue?.path.join(".") || "query"}: ${issue?.message}`);
  }
  return out as AuditQuery;
}

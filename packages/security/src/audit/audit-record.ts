import { createHash } from "node:crypto";
import { lazySchema } from "@codetether/core";
import { z } from "zod";
import { canonicalJson } from "./canonical-json.js";

/** `prev_hash` of the very first record. */
export const GENESIS_HASH = "0".repeat(64);

export type AuditOutcome = "success" | "failure" | "denied" | "error" | (string & {});

/** What callers pass to `AuditLog.append`. */
export interface AuditEntry {
  /** Who: `user`, `agent:<session>`, `client:<address>`, `server`. */
  actor: string;
  /** What: `auth.failure`, `tool.execute`, `permission.decision`, `session.create`, `api.call`, ... */
  action: string;
  /** On what: route, tool id, session id, file path. */
  resource: string;
  outcome: AuditOutcome;
  details?: Record<string, unknown>;
}

/** One line of the audit log. `hash` = SHA-256 of the canonical JSON of every other field. */
export interface AuditRecord {
  seq: number;
  time: string;
  actor: string;
  action: string;
  resource: string;
  outcome: string;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const hex64 = lazySchema(() => z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex characters"));

export const AuditRecordSchema = lazySchema(() =>
  z
    .object({
      seq: z.number().int().positive(),
      time: z.string(),
      actor: z.string(),
      action: z.string(),
      resource: z.string(),
      outcome: z.string(),
      details: z.record(z.string(), z.unknown()),
      prev_hash: hex64,
      hash: hex64,
    })
    .strict(),
);

const HEX64 = /^[0-9a-f]{64}$/;
const RECORD_KEYS = ["seq", "time", "actor", "action", "resource", "outcome", "details", "prev_hash", "hash"];

/**
 * The same check as `AuditRecordSchema` without zod, for the hot path: opening the log reads the last record on
 * every start, and `run` must not load zod before its first request (issue 25). `verify` and `query` keep the schema
 * for its per-field messages.
 */
export function isAuditRecord(value: unknown): value is AuditRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  const keys = Object.keys(r);
  return (
    keys.length === RECORD_KEYS.length &&
    RECORD_KEYS.every((key) => Object.hasOwn(r, key)) &&
    Number.isSafeInteger(r.seq) &&
    (r.seq as number) > 0 &&
    ["time", "actor", "action", "resource", "outcome"].every((key) => typeof r[key] === "string") &&
    typeof r.details === "object" &&
    r.details !== null &&
    !Array.isArray(r.details) &&
    typeof r.prev_hash === "string" &&
    HEX64.test(r.prev_hash) &&
    typeof r.hash === "string" &&
    HEX64.test(r.hash)
  );
}

/** Computes a record's hash from all of its fields except `hash`. */
export function hashRecord(record: Omit<AuditRecord, "hash">): string {
  const { seq, time, actor, action, resource, outcome, details, prev_hash } = record;
  const body = canonicalJson({ seq, time, actor, action, resource, outcome, details, prev_hash });
  return createHash("sha256").update(body).digest("hex");
}

import type { Response } from "express";
import { ZodError } from "zod";

/** A JSON error body: `{ error: { code, message, fields? } }`. */
export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  fields?: Array<{ path: string; message: string }>,
): void {
  res.status(status).json({ error: { code, message, ...(fields ? { fields } : {}) } });
}

/** 400 with one entry per invalid field, e.g. `{ path: "seed_persona.name", message: "Required" }`. */
export function sendValidationError(res: Response, error: ZodError, where: string): void {
  const fields = error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
  sendError(
    res,
    400,
    "invalid_request",
    `Invalid ${where}: ${fields.map((f) => `${f.path}: ${f.message}`).join("; ")}`,
    fields,
  );
}

/** Maps thrown errors to responses: zod → 400, errors carrying `status` → that status, else 500. */
export function sendThrown(res: Response, err: unknown, where: string): void {
  const status = (err as { status?: unknown }).status;
  if (err instanceof ZodError) {
    sendValidationError(res, err, where);
  } else if (typeof status === "number" && status >= 400 && status < 600) {
    sendError(res, status, status === 404 ? "not_found" : "conflict", (err as Error).message);
  } else {
    sendError(res, 500, "internal", `Internal error while handling ${where}.`);
  }
}

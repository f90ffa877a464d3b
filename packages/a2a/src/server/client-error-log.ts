import { format } from "node:util";
import { sanitizeTerminalText } from "@codetether/core";

/** A2A error reasons that are the server's fault: logged in full, stack included. */
const SERVER_FAULT_REASONS = new Set(["INTERNAL_ERROR", "INVALID_AGENT_RESPONSE"]);
/** JSON-RPC codes of the v0.3 compatibility layer's errors that are the server's fault. */
const SERVER_FAULT_CODES = new Set([-32603, -32006]);
const INSTALLED = Symbol.for("codetether.a2a.clientErrorLog");

/**
 * An error the SDK raises because of what the client sent (unknown task, unsupported part type, bad params,
 * not cancelable, ...): an A2A error whose reason (or v0.3 JSON-RPC code) is not a server fault.
 */
export function isExpectedClientError(value: unknown): value is Error {
  if (!(value instanceof Error)) return false;
  const { reason, code } = value as { reason?: unknown; code?: unknown };
  if (typeof reason === "string") return !SERVER_FAULT_REASONS.has(reason);
  if (typeof code === "number" && value.name.endsWith("Error") && code <= -32000 && code >= -32700)
    return !SERVER_FAULT_CODES.has(code);
  return false;
}

/**
 * The A2A SDK's express handlers `console.error` every error a streaming call ends with, client mistakes
 * included, with the stack and the error's fields over several lines. This keeps those lines to one
 * ("Pre-stream error for request 7: TaskNotFoundError: Task not found: x"); anything else — real server
 * errors among them — is logged in full. Either way the line carries what a client sent (request and task ids,
 * its params), so it is printed without escape sequences: a client must not drive the operator's terminal.
 * Installed once per process (idempotent).
 */
export function installClientErrorLogFilter(target: Console = console): void {
  const marked = target as Console & { [INSTALLED]?: true };
  if (marked[INSTALLED]) return;
  const original = target.error.bind(target);
  marked.error = (...args: unknown[]) => {
    if (!args.some(isExpectedClientError)) return original(sanitizeTerminalText(format(...args)));
    const flat = args.map((a) =>
      isExpectedClientError(a) ? `${a.name}: ${a.message.replace(/\s*\n\s*/g, " ")}` : a,
    );
    original(sanitizeTerminalText(format(...flat)));
  };
  marked[INSTALLED] = true;
}

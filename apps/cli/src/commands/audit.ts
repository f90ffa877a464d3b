import path from "node:path";
import { dataDir } from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";

export interface AuditCommandOptions {
  dir?: string;
  actor?: string;
  action?: string;
  resource?: string;
  outcome?: string;
  since?: string;
  until?: string;
  after?: number;
  limit?: number;
  json?: boolean;
}

const auditDir = (options: AuditCommandOptions, io: CliIO) =>
  options.dir ? path.resolve(io.cwd, options.dir) : path.join(dataDir(io.env), "audit");

/** `codetether audit verify`: checks the hash chain of `<dataDir>/audit`; 1 names the first bad record. */
export async function auditVerifyCommand(options: AuditCommandOptions, io: CliIO): Promise<number> {
  const { auditVerify } = await import("@codetether/security");
  return auditVerify({ dir: auditDir(options, io) }, { stdout: io.stdout, stderr: io.stderr, env: io.env });
}

function checkTime(name: string, value: string | undefined): void {
  if (value !== undefined && Number.isNaN(Date.parse(value)))
    throw new CliError(
      `${name} must be an ISO date/time such as 2026-01-31 or 2026-01-31T12:00:00Z, got "${value}".`,
      ExitCode.Usage,
    );
}

/** `codetether audit query [filters]`: records oldest first, as a table or JSON Lines. */
export async function auditQueryCommand(options: AuditCommandOptions, io: CliIO): Promise<number> {
  checkTime("--since", options.since);
  checkTime("--until", options.until);
  const { auditQuery } = await import("@codetether/security");
  const { dir: _dir, ...query } = options;
  return auditQuery(
    { ...query, dir: auditDir(options, io) },
    { stdout: io.stdout, stderr: io.stderr, env: io.env },
  );
}

import fs from "node:fs/promises";
import path from "node:path";
import {
  dataDir,
  exportSession,
  importSession,
  type Session,
  SessionImportError,
  SessionStore,
  toJsonText,
  writeFileAtomic,
} from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";

function sessionStore(io: CliIO): SessionStore {
  return new SessionStore(path.join(dataDir(io.env), "sessions"));
}

/** A saved session by id, or the latest of `cwd`; a missing one is a usage error (exit 2). */
export async function loadSessionArg(
  store: SessionStore,
  id: string | undefined,
  cwd: string,
): Promise<Session> {
  if (id) {
    try {
      return await store.load(id);
    } catch (err) {
      throw new CliError((err as Error).message, ExitCode.Usage);
    }
  }
  const latest = await store.latestFor(cwd);
  if (!latest)
    throw new CliError(
      `No session in ${cwd}. Name one: codetether export <id>  (list them with \`codetether sessions --all\`).`,
      ExitCode.Usage,
    );
  return latest;
}

/** `codetether export [id] [-o file]`: one self-contained JSON document, secrets redacted. */
export async function exportCommand(options: { id?: string; output?: string }, io: CliIO): Promise<number> {
  const cwd = path.resolve(io.cwd);
  const session = await loadSessionArg(sessionStore(io), options.id, cwd);
  const { collectKnownSecrets } = await import("@codetether/runtime");
  const known = await collectKnownSecrets(cwd, io.env);
  const { redactSecrets } = await import("@codetether/security");
  const doc = exportSession(session, { redact: (value) => redactSecrets(value, known) });
  const text = toJsonText(doc, 2);
  if (!options.output || options.output === "-") {
    io.stdout.write(text);
    return ExitCode.Success;
  }
  const file = path.resolve(io.cwd, options.output);
  await writeFileAtomic(file, text);
  io.stderr.write(`Exported ${session.id} (${session.messages.length} messages) to ${file}\n`);
  return ExitCode.Success;
}

/** `codetether import <file>`: validates an export and saves it as a new session of this directory. */
export async function importCommand(options: { file: string; json?: boolean }, io: CliIO): Promise<number> {
  const file = options.file === "-" ? "(stdin)" : path.resolve(io.cwd, options.file);
  let text: string;
  try {
    if (options.file === "-") {
      const { readAll } = await import("../io.js");
      text = await readAll(io.stdin);
    } else text = await fs.readFile(file, "utf8");
  } catch (err) {
    throw new CliError(`Cannot read ${file}: ${(err as Error).message}`, ExitCode.Usage);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file} is not JSON (${(err as Error).message}).`, ExitCode.Usage);
  }
  let session: Session;
  try {
    session = importSession(json, { cwd: path.resolve(io.cwd), source: file });
  } catch (err) {
    if (err instanceof SessionImportError) throw new CliError(err.message, ExitCode.Usage);
    throw err;
  }
  await sessionStore(io).save(session);
  if (options.json) io.stdout.write(toJsonText({ id: session.id, title: session.title }));
  else {
    io.stdout.write(`${session.id}\n`);
    io.stderr.write(`Imported "${session.title}". Continue it with: codetether run -s ${session.id} "..."\n`);
  }
  return ExitCode.Success;
}

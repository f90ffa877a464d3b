import path from "node:path";
import { dataDir, escapeControls, findGitRoot, SessionStore, toJsonText } from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";

export interface RewindOptions {
  id: string;
  to: number;
  files?: boolean;
  conversation?: boolean;
  both?: boolean;
  json?: boolean;
}

/**
 * `codetether rewind <id> --to <turn>`: back to the end of a turn — the agent's file changes after it undone from
 * its snapshots (never git, never a file the agent did not change) and/or the later messages removed.
 */
export async function rewindCommand(options: RewindOptions, io: CliIO): Promise<number> {
  const picked = [options.files, options.conversation, options.both].filter(Boolean).length;
  if (picked > 1) throw new CliError("Use one of --files, --conversation or --both.", ExitCode.Usage);
  const scope = options.files ? "files" : options.conversation ? "conversation" : "both";
  const store = new SessionStore(path.join(dataDir(io.env), "sessions"));
  const { loadSessionArg } = await import("./session-export.js");
  const session = await loadSessionArg(store, options.id, path.resolve(io.cwd));
  // Rewinding while another process continues the session would lose its turns: claim it like `run` does.
  const claim = await store.claim(session.id).catch((err: Error) => {
    throw new CliError(err.message, ExitCode.Usage);
  });
  try {
    const { rewindSession, SnapshotStore } = await import("@codetether/tools");
    const fresh = await store.load(session.id);
    const root = findGitRoot(fresh.cwd) ?? fresh.cwd;
    let result: Awaited<ReturnType<typeof rewindSession>>;
    try {
      result = await rewindSession(fresh, options.to, {
        scope,
        snapshots: new SnapshotStore(path.join(dataDir(io.env), "snapshots")),
        policy: { roots: [root] },
      });
    } catch (err) {
      if (err instanceof RangeError) throw new CliError(`${fresh.id}: ${err.message}`, ExitCode.Usage);
      throw err;
    }
    if (scope !== "files") await store.save(fresh);
    if (options.json)
      io.stdout.write(toJsonText({ sessionId: fresh.id, turn: options.to, scope, ...result }));
    else {
      // Paths the model chose: printed with their control characters escaped.
      const files = [...new Set(result.restoredFiles)].map((f) =>
        escapeControls(path.relative(root, f) || f),
      );
      io.stdout.write(
        `Rewound ${fresh.id} to turn ${options.to} (${scope}): ` +
          `${files.length} file(s) restored${files.length ? ` (${files.join(", ")})` : ""}, ` +
          `${result.removedMessages} message(s) removed.\n`,
      );
    }
    if (result.unrecorded)
      io.stderr.write(
        `codetether: ${result.unrecorded} file change(s) after turn ${options.to} are no longer in the snapshot store and were not undone.\n`,
      );
    return ExitCode.Success;
  } finally {
    await claim.release();
  }
}

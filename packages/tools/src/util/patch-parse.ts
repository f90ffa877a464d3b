/** One line of a hunk: context (" "), removal ("-") or addition ("+"). */
export interface HunkLine {
  op: " " | "-" | "+";
  text: string;
}

export interface Hunk {
  /** Text after `@@` in the envelope format (a line to seek first), or the unified header's old start. */
  anchor?: string;
  oldStart?: number;
  lines: HunkLine[];
  /** The hunk must match at the end of the file (`*** End of File`). */
  atEnd?: boolean;
}

export type PatchOp =
  | { type: "add"; path: string; content: string }
  | { type: "delete"; path: string }
  | { type: "update"; path: string; moveTo?: string; hunks: Hunk[] };

export class PatchParseError extends Error {}

const MARKER = /^\*\*\* (?:Begin Patch|End Patch|End of File|(?:Add|Delete|Update) File: .+|Move to: .+)$/;

/**
 * The envelope marker on this line, leading/trailing whitespace removed (models indent them, and codex
 * accepts that); undefined for a line that is not exactly a marker.
 */
function marker(line: string): string | undefined {
  const trimmed = line.trim();
  return MARKER.test(trimmed) ? trimmed : undefined;
}

/**
 * Checks the shell heredoc a model may wrap the envelope in (`apply_patch <<'EOF'` … `EOF`): the quotes
 * around the delimiter must match (`<<"EOF'` is a shell syntax error, so the patch is refused, as codex
 * does) and the closing line must be the same delimiter.
 */
function checkHeredoc(lines: string[], begin: number, end: number): void {
  const opener = lines
    .slice(0, begin)
    .map((l) => l.trim())
    .find((l) => l.includes("<<"));
  if (!opener) return;
  const m = opener.match(/<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)(['"]?)$/);
  if (!m || m[1] !== m[3]) {
    throw new PatchParseError(
      `The patch is wrapped in a heredoc with a malformed delimiter (${opener.slice(opener.indexOf("<<"))}): ` +
        "the quotes around it must match, e.g. <<'EOF'. Send the *** Begin Patch envelope on its own.",
    );
  }
  const closing = lines.slice(end + 1).find((l) => l.trim() !== "");
  if (closing?.trim() !== m[2]) {
    throw new PatchParseError(
      `The heredoc opened with <<${m[1]}${m[2]}${m[3]} is not closed by a "${m[2]}" line after *** End Patch. ` +
        "Send the *** Begin Patch envelope on its own.",
    );
  }
}

/** Parses either the `*** Begin Patch` envelope or a (git) unified diff. */
export function parsePatch(text: string): PatchOp[] {
  const normalized = text.replace(/\r\n/g, "\n");
  const ops = /^\s*\*\*\* Begin Patch\s*$/m.test(normalized)
    ? parseEnvelope(normalized)
    : parseUnified(normalized);
  if (ops.length === 0)
    throw new PatchParseError(
      "The patch contains no file changes. Send a unified diff (---/+++/@@ lines) or a " +
        "`*** Begin Patch` envelope with *** Add File / *** Update File / *** Delete File sections.",
    );
  return ops;
}

function parseEnvelope(text: string): PatchOp[] {
  const lines = text.split("\n");
  const begin = lines.findIndex((l) => l.trim() === "*** Begin Patch");
  let i = begin;
  const ops: PatchOp[] = [];
  i++;
  let ended = false;
  while (i < lines.length) {
    const line = marker(lines[i]!) ?? lines[i]!;
    if (line === "*** End Patch") {
      ended = true;
      checkHeredoc(lines, begin, i);
      break;
    }
    const add = line.match(/^\*\*\* Add File: (.+)$/);
    const del = line.match(/^\*\*\* Delete File: (.+)$/);
    const update = line.match(/^\*\*\* Update File: (.+)$/);
    if (add) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !marker(lines[i]!)) {
        const l = lines[i]!;
        if (l === "" && lines.slice(i).every((rest) => rest === "")) break;
        if (!l.startsWith("+"))
          throw new PatchParseError(
            `Line ${i + 1}: every line of an added file must start with "+", got: ${l}`,
          );
        body.push(l.slice(1));
        i++;
      }
      ops.push({ type: "add", path: add[1]!.trim(), content: body.length ? `${body.join("\n")}\n` : "" });
    } else if (del) {
      ops.push({ type: "delete", path: del[1]!.trim() });
      i++;
    } else if (update) {
      const op: PatchOp & { type: "update" } = { type: "update", path: update[1]!.trim(), hunks: [] };
      i++;
      const move = marker(lines[i] ?? "")?.match(/^\*\*\* Move to: (.+)$/);
      if (move) {
        op.moveTo = move[1]!.trim();
        i++;
      }
      let hunk: Hunk | undefined;
      while (i < lines.length) {
        const l = lines[i]!;
        const mark = marker(l);
        if (mark === "*** End of File") {
          if (hunk) hunk.atEnd = true;
          i++;
          continue;
        }
        if (mark || l.startsWith("***")) break;
        if (l.startsWith("@@")) {
          const anchor = l.slice(2).trim();
          hunk = { lines: [], ...(anchor ? { anchor } : {}) };
          op.hunks.push(hunk);
        } else {
          if (!hunk) {
            hunk = { lines: [] };
            op.hunks.push(hunk);
          }
          const first = l[0];
          if (first === " " || first === "-" || first === "+")
            hunk.lines.push({ op: first, text: l.slice(1) });
          else if (l === "") hunk.lines.push({ op: " ", text: "" });
          else
            throw new PatchParseError(
              `Line ${i + 1}: hunk lines must start with " ", "-" or "+" (in ${op.path}), got: ${l}`,
            );
        }
        i++;
      }
      if (op.hunks.every((h) => h.lines.length === 0) && !op.moveTo)
        throw new PatchParseError(`*** Update File: ${op.path} has no hunks.`);
      ops.push(op);
    } else if (line.trim() === "") {
      i++;
    } else {
      throw new PatchParseError(
        `Line ${i + 1}: expected *** Add File:, *** Update File:, *** Delete File: or *** End Patch, got: ${line}`,
      );
    }
  }
  if (!ended) throw new PatchParseError('The patch envelope has no "*** End Patch" line.');
  return ops;
}

function stripPrefix(p: string): string {
  const clean = p.split("\t")[0]!.trim();
  return /^[ab]\//.test(clean) ? clean.slice(2) : clean;
}

function parseUnified(text: string): PatchOp[] {
  const lines = text.split("\n");
  const ops: PatchOp[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    let renameFrom: string | undefined;
    let renameTo: string | undefined;
    if (line.startsWith("diff --git ")) {
      // git headers may carry a pure rename with no hunks
      let j = i + 1;
      while (j < lines.length && !lines[j]!.startsWith("--- ") && !lines[j]!.startsWith("diff --git ")) {
        const from = lines[j]!.match(/^rename from (.+)$/);
        const to = lines[j]!.match(/^rename to (.+)$/);
        if (from) renameFrom = from[1]!.trim();
        if (to) renameTo = to[1]!.trim();
        j++;
      }
      if (renameFrom && renameTo && (j >= lines.length || lines[j]!.startsWith("diff --git "))) {
        ops.push({ type: "update", path: renameFrom, moveTo: renameTo, hunks: [] });
        i = j;
        continue;
      }
      i = j;
      continue;
    }
    if (!line.startsWith("--- ") || !lines[i + 1]?.startsWith("+++ ")) {
      i++;
      continue;
    }
    const oldPath = stripPrefix(line.slice(4));
    const newPath = stripPrefix(lines[i + 1]!.slice(4));
    i += 2;
    const hunks: Hunk[] = [];
    while (i < lines.length && lines[i]!.startsWith("@@")) {
      const header = lines[i]!.match(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/);
      if (!header) throw new PatchParseError(`Line ${i + 1}: malformed hunk header: ${lines[i]}`);
      let oldCount = header[2] === undefined ? 1 : Number(header[2]);
      let newCount = header[4] === undefined ? 1 : Number(header[4]);
      const hunk: Hunk = { oldStart: Number(header[1]), lines: [] };
      i++;
      while (i < lines.length && (oldCount > 0 || newCount > 0)) {
        const l = lines[i]!;
        if (l.startsWith("\\")) {
          i++;
          continue;
        }
        const op = l === "" ? " " : l[0];
        if (op !== " " && op !== "-" && op !== "+")
          throw new PatchParseError(
            `Line ${i + 1}: hunk of ${newPath} ended early (expected ${oldCount} more old and ${newCount} more new lines), got: ${l}`,
          );
        hunk.lines.push({ op, text: l.slice(1) });
        if (op !== "+") oldCount--;
        if (op !== "-") newCount--;
        i++;
      }
      while (lines[i]?.startsWith("\\")) i++;
      hunks.push(hunk);
    }
    if (oldPath === "/dev/null") {
      const added = hunks.flatMap((h) => h.lines.filter((l) => l.op === "+").map((l) => l.text));
      ops.push({ type: "add", path: newPath, content: added.length ? `${added.join("\n")}\n` : "" });
    } else if (newPath === "/dev/null") {
      ops.push({ type: "delete", path: oldPath });
    } else {
      ops.push({
        type: "update",
        path: oldPath,
        ...(newPath !== oldPath ? { moveTo: newPath } : {}),
        hunks,
      });
    }
  }
  return ops;
}

/** Paths a patch touches (for permission checks); empty when it cannot be parsed. */
export function patchPaths(text: string): string[] {
  try {
    return parsePatch(text).flatMap((op) =>
      op.type === "update" && op.moveTo ? [op.path, op.moveTo] : [op.path],
    );
  } catch {
    return [];
  }
}

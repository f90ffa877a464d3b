/**
 * Whether a hook's `matcher` selects `subject` (a tool id, a session_start source, a pre_compact trigger). The
 * matcher is a glob (`*`, `?`) with `|` between alternatives, case-insensitive so hooks written for Claude Code
 * (`Bash`, `Write|Edit`) match codetether's tool ids (`bash`, `write`, `edit`). No matcher, "" or "*" matches all.
 */
export function hookMatches(matcher: string | undefined, subject: string | undefined): boolean {
  if (matcher === undefined || matcher.trim() === "" || matcher.trim() === "*") return true;
  if (subject === undefined) return true;
  return matcher.split("|").some((alternative) => globRegExp(alternative.trim()).test(subject));
}

function globRegExp(glob: string): RegExp {
  let source = "";
  for (const ch of glob) {
    if (ch === "*") source += ".*";
    else if (ch === "?") source += ".";
    else source += ch.replace(/[.+^${}()[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "i");
}

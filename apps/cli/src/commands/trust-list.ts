import fs from "node:fs";
import { fileApproval, escapeControls as shown, type TrustEntry } from "@codetether/core";

const INDENT = " ".repeat(11);

// File and folder names come from repositories: \`shown\` prints their control characters escaped, so a name built
// to erase a line cannot hide a file from the list a person reviews.

/** The state of one approved file now: still `approved`, `changed`, or `missing`. */
function stateNow(entry: TrustEntry, file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return "missing";
  }
  return fileApproval(entry, file, text) === "approved" ? "approved" : "changed since";
}

/** The files a trusted decision approved (what `codetether trust` prints after trusting). */
export function approvedFiles(entry: TrustEntry): string {
  const files = Object.keys(entry.files ?? {}).sort();
  const list = files.length
    ? `Approved ${files.length} project config file(s):\n${files.map((f) => `  ${shown(f)}\n`).join("")}`
    : "No project config file (codetether.toml, .codetether/agents|commands/*.md) there yet.\n";
  return entry.complete === false
    ? `${list}Stopped searching after too many folders: a config deeper down is not approved; trust its folder on its own.\n`
    : list;
}

/** One `trust --list` entry: the decision, then for a trusted one each approved file and its state now. */
export function describeEntry(entry: TrustEntry): string {
  const head = `${entry.decision.padEnd(9)}  ${shown(entry.folder)}  (${entry.at})\n`;
  if (entry.decision !== "trusted") return head;
  if (!entry.files)
    return `${head}${INDENT}no approved config recorded (trusted by an older codetether): its config counts as untrusted until you run: codetether trust ${shown(entry.folder)}\n`;
  const files = Object.keys(entry.files).sort();
  if (!files.length) return `${head}${INDENT}(no project config file was there)\n`;
  return head + files.map((f) => `${INDENT}${stateNow(entry, f).padEnd(13)}  ${shown(f)}\n`).join("");
}

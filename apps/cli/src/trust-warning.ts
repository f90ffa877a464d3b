import { type LoadedConfig, type ProjectTrust, escapeControls as shown } from "@codetether/core";

const warned = new Set<string>();

/**
 * The one warning for project settings an untrusted folder may not apply: each ignored key and why, then how to
 * trust the folder. Printed once per folder and process (several commands load the config more than once).
 */
export function warnIgnoredProjectKeys(
  loaded: LoadedConfig,
  stderr: { write(text: string): unknown } = process.stderr,
): void {
  const { projectTrust: trust, projectFile } = loaded;
  if (!trust.ignored.length || warned.has(trust.folder)) return;
  warned.add(trust.folder);
  // Keys, files and folders come from the repository: their control characters are printed escaped.
  const keys = trust.ignored.map((i) => `  - ${shown(i.key)}: ${shown(i.reason)}\n`).join("");
  if (trust.unapproved) {
    stderr.write(
      `codetether: ${unapprovedWhy(trust, trust.unapproved)}; ignoring its settings that would weaken your security:\n${keys}` +
        `Review the file; if you wrote these settings, approve it: codetether trust ${shown(trust.folder)}\n`,
    );
    return;
  }
  const how =
    trust.source === "env" || trust.source === "option"
      ? "This command does not trust the workspace's config implicitly. Pass --trust-project (serve, worker) or set CODETETHER_TRUST_PROJECT=1 to apply it.\n"
      : trust.decision === "untrusted"
        ? `This folder is marked untrusted. If you wrote these settings, trust it: codetether trust ${shown(trust.folder)}\n`
        : `If you wrote these settings, trust this folder: codetether trust ${shown(trust.folder)}\n`;
  stderr.write(
    `codetether: ignoring settings of the untrusted project config ${shown(projectFile ?? trust.folder)} that would weaken your security:\n${keys}${how}`,
  );
}

/** Why a file under a trusted folder is not trusted, naming the file and the decision. */
export function unapprovedWhy(
  trust: ProjectTrust,
  unapproved: NonNullable<ProjectTrust["unapproved"]>,
): string {
  const folder = shown(trust.decidedFor ?? trust.folder);
  const file = shown(unapproved.file);
  switch (unapproved.reason) {
    case "new":
      return `${file} is not approved: it was not there when you trusted ${folder}`;
    case "changed":
      return `${file} is not approved: it changed since you trusted ${folder}`;
    default:
      return `${file} is not approved: you trusted ${folder} before codetether recorded which config a trust approves`;
  }
}

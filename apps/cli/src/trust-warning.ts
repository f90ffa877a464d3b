import type { LoadedConfig } from "@codetether/core";

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
  const keys = trust.ignored.map((i) => `  - ${i.key}: ${i.reason}\n`).join("");
  const how =
    trust.source === "env" || trust.source === "option"
      ? "This command does not trust the workspace's config implicitly. Pass --trust-project (serve, worker) or set CODETETHER_TRUST_PROJECT=1 to apply it.\n"
      : trust.decision === "untrusted"
        ? `This folder is marked untrusted. If you wrote these settings, trust it: codetether trust ${trust.folder}\n`
        : `If you wrote these settings, trust this folder: codetether trust ${trust.folder}\n`;
  stderr.write(
    `codetether: ignoring settings of the untrusted project config ${projectFile ?? trust.folder} that would weaken your security:\n${keys}${how}`,
  );
}

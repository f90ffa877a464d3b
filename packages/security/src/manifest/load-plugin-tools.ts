import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { onProcessExit, type SandboxPolicyConfig, type Tool } from "@codetether/core";
import type { z } from "zod";
import type { AuditLog } from "../audit/audit-log.js";
import { MANIFEST_FILE, type ToolManifest } from "./tool-manifest.js";
import { verifyToolDir } from "./verify-tool-dir.js";

export interface LoadPluginToolsOptions {
  /** `ed25519:<base64>` keys (config `tools.trusted_keys` plus the trust store). */
  trustedKeys: readonly string[];
  /** Loads and refusals are recorded here. */
  audit?: AuditLog;
  /**
   * Turns a plugin's plain JSON Schema `parameters` into a validating zod schema (the host passes
   * `@codetether/tools`' `jsonSchemaParameters`). Without it, JSON Schema plugins are refused.
   */
  jsonSchemaParameters?: (schema: Record<string, unknown>) => z.ZodType;
}

export interface LoadedPlugin {
  tool: Tool;
  manifest: ToolManifest;
  dir: string;
  signer: string;
  /** The manifest's sandbox policy, for hosts that run the plugin's commands through `createSandbox`. */
  sandbox: SandboxPolicyConfig;
}

export interface RefusedPlugin {
  dir: string;
  reason: string;
}

export interface LoadPluginToolsResult {
  tools: Tool[];
  plugins: LoadedPlugin[];
  refused: RefusedPlugin[];
}

/**
 * Loads plugin tools from `dirs`. Each entry is a plugin directory (has `manifest.json`) or a directory of
 * them. A plugin is loaded only if `verifyToolDir` accepts it; the verified bytes are copied to a private
 * directory and imported from there, so files swapped after verification are never executed.
 * The entry module must export the tool as `default` or `tool`. Refusals are returned and audited.
 */
export async function loadPluginTools(
  dirs: readonly string[],
  options: LoadPluginToolsOptions,
): Promise<LoadPluginToolsResult> {
  const result: LoadPluginToolsResult = { tools: [], plugins: [], refused: [] };
  const seen = new Set<string>();
  for (const dir of await expandPluginDirs(dirs)) {
    const outcome = await loadOne(dir, options, seen);
    if ("reason" in outcome) {
      result.refused.push(outcome);
      await options.audit?.append({
        actor: "codetether",
        action: "plugin.refused",
        resource: dir,
        outcome: "denied",
        details: { reason: outcome.reason },
      });
    } else {
      result.plugins.push(outcome);
      result.tools.push(outcome.tool);
      await options.audit?.append({
        actor: "codetether",
        action: "plugin.loaded",
        resource: dir,
        outcome: "success",
        details: { id: outcome.manifest.id, version: outcome.manifest.version, signer: outcome.signer },
      });
    }
  }
  return result;
}

async function expandPluginDirs(dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const raw of dirs) {
    const dir = path.resolve(raw);
    if (await exists(path.join(dir, MANIFEST_FILE))) {
      out.push(dir);
      continue;
    }
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) out.push(path.join(dir, entry.name));
    }
  }
  return out;
}

async function loadOne(dir: string, options: LoadPluginToolsOptions, seen: Set<string>) {
  const refuse = (reason: string): RefusedPlugin => ({ dir, reason });
  const verified = await verifyToolDir(dir, options.trustedKeys);
  if (!verified.ok) return refuse(verified.reason);
  const { manifest, contents, signer } = verified;
  if (seen.has(manifest.id))
    return refuse(`duplicate tool id "${manifest.id}" (already loaded from another dir)`);

  const copy = path.join(os.tmpdir(), `codetether-plugin-${process.pid}-${randomBytes(6).toString("hex")}`);
  await fs.mkdir(copy, { mode: 0o700 });
  onProcessExit(() => rmSync(copy, { recursive: true, force: true }));
  for (const [file, data] of contents) {
    await fs.mkdir(path.dirname(path.join(copy, file)), { recursive: true, mode: 0o700 });
    await fs.writeFile(path.join(copy, file), data, { mode: 0o600, flag: "wx" });
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path.join(copy, manifest.entry)).href)) as Record<string, unknown>;
  } catch (err) {
    return refuse(`entry ${manifest.entry} failed to load: ${(err as Error).message}`);
  }
  const exported = (mod.default ?? mod.tool) as Partial<Tool> | undefined;
  const problem = checkTool(exported, manifest);
  if (problem) return refuse(problem);
  const parameters = pluginParameters((exported as Tool).parameters, options);
  if (typeof parameters === "string") return refuse(parameters);
  seen.add(manifest.id);
  // A copy, so the module's own object is never mutated; the zod schema stands in for JSON Schema.
  const tool: Tool = { ...(exported as Tool), parameters, origin: `plugin:${manifest.id}` };
  return { tool, manifest, dir, signer, sandbox: manifest.sandbox } satisfies LoadedPlugin;
}

/**
 * A plugin's parameters as the zod schema the registry needs, or why they are refused. zod 4 schemas carry
 * `_zod.def`; anything else with `safeParse` only (a hand-rolled validator) cannot be turned into the JSON Schema
 * the model is shown, so it is refused rather than crashing the run when the tool list is built.
 */
function pluginParameters(params: unknown, options: LoadPluginToolsOptions): z.ZodType | string {
  const candidate = params as { _zod?: { def?: unknown }; safeParse?: unknown } | undefined;
  if (candidate?._zod?.def && typeof candidate.safeParse === "function") return params as z.ZodType;
  if (isJsonObjectSchema(params)) {
    if (!options.jsonSchemaParameters)
      return "exported tool parameters are JSON Schema, which this host cannot validate (pass jsonSchemaParameters to loadPluginTools)";
    try {
      return options.jsonSchemaParameters(params);
    } catch (err) {
      return `exported tool parameters are not a valid JSON Schema: ${(err as Error).message}`;
    }
  }
  return 'exported tool parameters must be a zod 4 schema or a JSON Schema object ({ type: "object", properties: {...} })';
}

function isJsonObjectSchema(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const schema = value as Record<string, unknown>;
  if ("safeParse" in schema || "_zod" in schema) return false;
  return schema.type === "object" || (typeof schema.properties === "object" && schema.properties !== null);
}

function checkTool(tool: Partial<Tool> | undefined, manifest: ToolManifest): string | undefined {
  if (!tool || typeof tool !== "object")
    return "entry module exports no tool (export it as default or `tool`)";
  if (tool.id !== manifest.id)
    return `exported tool id "${String(tool.id)}" differs from manifest id "${manifest.id}"`;
  if (typeof tool.description !== "string") return "exported tool has no description";
  if (typeof tool.execute !== "function") return "exported tool has no execute function";
  if (!tool.parameters || typeof tool.parameters !== "object")
    return "exported tool has no parameters (a zod 4 schema or a JSON Schema object)";
  if (!tool.kind || !manifest.permissions.includes(tool.kind)) {
    return `tool kind "${String(tool.kind)}" is not among the manifest's permissions [${manifest.permissions.join(", ")}]`;
  }
  return undefined;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

import type { Config, SandboxPolicyConfig } from "@codetether/core";
import { createSandbox, type Sandbox, type SandboxOptions } from "./create-sandbox.js";

/**
 * The policy for one tool from config: `sandbox.default` overlaid field by field with `sandbox.tools[toolId]`.
 * Undefined when sandboxing is disabled (`sandbox.enabled = false`) and the tool has no policy of its own.
 */
export function sandboxPolicyFor(
  config: Pick<Config, "sandbox">,
  toolId: string,
): SandboxPolicyConfig | undefined {
  const own = Object.hasOwn(config.sandbox.tools, toolId) ? config.sandbox.tools[toolId] : undefined;
  if (!config.sandbox.enabled && !own) return undefined;
  return { ...config.sandbox.default, ...own };
}

/** `createSandbox(sandboxPolicyFor(config, toolId))`, or undefined when the tool runs unsandboxed. */
export function sandboxForTool(
  config: Pick<Config, "sandbox">,
  toolId: string,
  options?: SandboxOptions,
): Sandbox | undefined {
  const policy = sandboxPolicyFor(config, toolId);
  return policy ? createSandbox(policy, options) : undefined;
}

/**
 * What the CLI fills in where a policy is silent: only the workspace is writable and the network is denied.
 * `codetether doctor` reports the sandbox from this same policy.
 */
export function withSecureDefaults(policy: SandboxPolicyConfig, workspaceRoot: string): SandboxPolicyConfig {
  return {
    ...policy,
    writable_paths: policy.writable_paths ?? [workspaceRoot],
    network: policy.network ?? "deny",
  };
}

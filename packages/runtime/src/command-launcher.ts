import type { Config } from "@codetether/core";
import type { Sandbox } from "@codetether/security";
import type { SandboxService } from "@codetether/tools";

type Env = Record<string, string | undefined>;
type Policy = NonNullable<Config["shell_environment_policy"]>;

export interface CommandLauncherOptions {
  /** The OS sandbox commands run in; undefined when it is off. */
  sandbox: Sandbox | undefined;
  /** `[shell_environment_policy]`; undefined when not configured (commands get the environment they are given). */
  policy: Policy | undefined;
  /** `applyShellEnvPolicy` of `@codetether/security` (loaded by the caller: this module stays light). */
  applyPolicy: (env: Env, policy: Policy) => Record<string, string>;
  /** Registers the per-command cleanup of a sandboxed command (run when the wiring closes). */
  onDispose: (dispose: () => void) => void;
}

/**
 * The `services.sandbox` launcher of `bash`, language servers and ralph's quality checks: the one place where a
 * command run on the model's behalf gets its environment and, when the sandbox is on, its sandbox. Undefined when
 * neither applies, so those commands keep today's behaviour (the environment they were given, no wrapper).
 *
 * Order: the policy filters the environment first; the sandbox then keeps only its allow-list of that. The policy's
 * `set` variables (explicit user config, never from an untrusted project) pass the sandbox's allow-list too, unless
 * `include_only` dropped them.
 */
export function commandLauncher(options: CommandLauncherOptions): SandboxService | undefined {
  const { sandbox, policy, applyPolicy } = options;
  if (!sandbox && !policy) return undefined;
  return {
    wrap(command, opts) {
      const env = policy ? applyPolicy(opts.env, policy) : opts.env;
      // `bash -c`, not the sandbox's default `/bin/sh -c`: the model writes bash (arrays, [[ ]], /dev/tcp).
      if (!sandbox) return { file: "bash", args: ["-c", command], env };
      const wrapped = sandbox.wrap(["bash", "-c", command], {
        cwd: opts.cwd,
        env,
        ...(opts.readablePaths ? { readablePaths: opts.readablePaths } : {}),
      });
      options.onDispose(() => wrapped.dispose());
      const set: Record<string, string> = {};
      for (const name of Object.keys(policy?.set ?? {})) {
        const value = env[name];
        if (value !== undefined) set[name] = value;
      }
      return { file: wrapped.file, args: wrapped.args, env: { ...wrapped.env, ...set } };
    },
  };
}

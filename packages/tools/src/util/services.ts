/** A command launch, as the sandbox (security package) rewrites it. */
export interface SandboxLaunch {
  file: string;
  args: string[];
  env?: Record<string, string | undefined>;
}

/**
 * Hook for the security package: wraps a shell command (e.g. in bubblewrap/landlock) before `bash` runs it.
 * Provided as `ctx.services.sandbox`.
 */
export interface SandboxService {
  wrap(
    command: string,
    options: {
      cwd: string;
      env: Record<string, string | undefined>;
      timeoutMs: number;
      /** Paths outside the workspace the command must read (e.g. a language server's install folder). */
      readablePaths?: readonly string[];
    },
  ): SandboxLaunch | Promise<SandboxLaunch>;
}

export function isSandboxService(value: unknown): value is SandboxService {
  return typeof value === "object" && value !== null && typeof (value as SandboxService).wrap === "function";
}

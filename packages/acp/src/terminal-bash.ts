import path from "node:path";
import type { AgentSideConnection, TerminalHandle } from "@agentclientprotocol/sdk";
import { defineTool, type Tool } from "@codetether/core";
import { bashTool } from "@codetether/tools";

const DEFAULT_TIMEOUT_S = 120;
const OUTPUT_BYTE_LIMIT = 50_000;

/** How the editor runs a command: the ACP `terminal/*` methods, or a fake in tests. */
export interface AcpTerminals {
  create(request: {
    sessionId: string;
    command: string;
    args: string[];
    cwd: string;
  }): Promise<TerminalHandle>;
}

export function clientTerminals(connection: AgentSideConnection): AcpTerminals {
  return {
    create: ({ sessionId, command, args, cwd }) =>
      connection.createTerminal({
        sessionId,
        command,
        args,
        cwd,
        // Same as the local bash tool: no pager waiting for a key press, and scripts can tell they run under the agent.
        env: [
          { name: "CODETETHER", value: "1" },
          { name: "PAGER", value: "cat" },
          { name: "GIT_PAGER", value: "cat" },
        ],
        outputByteLimit: OUTPUT_BYTE_LIMIT,
      }),
  };
}

type Outcome =
  | { kind: "exit"; exitCode: number | null; signal: string | null }
  | { kind: "timeout" }
  | { kind: "aborted" };

/**
 * `bash` through the editor's terminal: the user sees the command run in the editor. Same parameters
 * and permission paths as the local tool; cancel and timeout kill the terminal, which is always released.
 */
export function createTerminalBashTool(terminals: AcpTerminals): Tool {
  const tool = defineTool({
    ...bashTool,
    async execute(args, ctx) {
      const cwd = path.resolve(ctx.cwd, args.cwd ?? ".");
      const timeoutMs = Math.round((args.timeout ?? DEFAULT_TIMEOUT_S) * 1000);
      let terminal: TerminalHandle;
      try {
        terminal = await terminals.create({
          sessionId: ctx.sessionId,
          command: "bash",
          args: ["-c", args.command],
          cwd,
        });
      } catch (err) {
        return { output: `The editor could not start the command: ${(err as Error).message}`, isError: true };
      }
      ctx.emit({
        type: "progress",
        text: `running in editor terminal ${terminal.id}`,
        data: { terminalId: terminal.id },
      });
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      try {
        const outcome = await Promise.race<Outcome>([
          terminal
            .waitForExit()
            .then((s) => ({ kind: "exit", exitCode: s.exitCode ?? null, signal: s.signal ?? null })),
          new Promise<Outcome>((resolve) => {
            timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
          }),
          new Promise<Outcome>((resolve) => {
            onAbort = () => resolve({ kind: "aborted" });
            if (ctx.signal.aborted) onAbort();
            else ctx.signal.addEventListener("abort", onAbort, { once: true });
          }),
        ]);
        if (outcome.kind !== "exit") await terminal.kill().catch(() => {});
        const out = await terminal.currentOutput();
        const text = `${out.output}${out.truncated ? "\n[output truncated by the editor]" : ""}`;
        if (outcome.kind === "aborted")
          return {
            output: `${text}\n[cancelled by the user]`,
            isError: true,
            metadata: { terminalId: terminal.id },
          };
        if (outcome.kind === "timeout")
          return {
            output: `${text}\n[killed after ${timeoutMs / 1000}s timeout; pass a larger timeout if it needs longer]`,
            isError: true,
            metadata: { terminalId: terminal.id },
          };
        const failed = outcome.exitCode !== 0;
        const status = outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.exitCode}`;
        return {
          output: `${text}${text.endsWith("\n") || text === "" ? "" : "\n"}[${status}]`,
          isError: failed,
          metadata: { terminalId: terminal.id, exitCode: outcome.exitCode, signal: outcome.signal },
        };
      } finally {
        if (timer) clearTimeout(timer);
        if (onAbort) ctx.signal.removeEventListener("abort", onAbort);
        await terminal.release().catch(() => {});
      }
    },
  });
  return tool as unknown as Tool;
}

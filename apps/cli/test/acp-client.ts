import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import { Readable, Writable } from "node:stream";
import {
  type Client,
  ClientSideConnection,
  type CreateTerminalRequest,
  ndJsonStream,
  type RequestPermissionRequest,
  type RequestPermissionResponse,
  type SessionNotification,
} from "@agentclientprotocol/sdk";
import { afterEach } from "vitest";
import { BIN } from "./helpers.js";

/** An editor-like ACP client driving the built `codetether acp` binary. */
export interface AcpHarness {
  child: ChildProcess;
  connection: ClientSideConnection;
  updates: SessionNotification[];
  permissionRequests: RequestPermissionRequest[];
  reads: string[];
  writes: Array<{ path: string; content: string }>;
  terminals: CreateTerminalRequest[];
  stderr: () => string;
  /** Resolves when an update matching `pred` has arrived. */
  waitFor(pred: (u: SessionNotification) => boolean): Promise<SessionNotification>;
  close(): Promise<number | null>;
}

export interface HarnessOptions {
  cwd: string;
  env: Record<string, string>;
  /** The option the "user" picks for permission requests (default reject_once). */
  permission?: string;
  /** Advertise fs capabilities (the client reads/writes the real disk, like an editor saving a buffer). */
  fs?: boolean;
  terminal?: boolean;
  model?: string;
}

export function startAcp(options: HarnessOptions): AcpHarness {
  const child = spawn(process.execPath, [BIN, "acp", "--model", options.model ?? "openai/gpt-4o"], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const updates: SessionNotification[] = [];
  const waiters: Array<{
    pred: (u: SessionNotification) => boolean;
    resolve: (u: SessionNotification) => void;
  }> = [];
  const permissionRequests: RequestPermissionRequest[] = [];
  const reads: string[] = [];
  const writes: Array<{ path: string; content: string }> = [];
  const terminals: CreateTerminalRequest[] = [];
  const running = new Map<
    string,
    { output: string; exit: Promise<{ exitCode: number | null; signal: string | null }>; proc: ChildProcess }
  >();

  const client: Client = {
    async requestPermission(params): Promise<RequestPermissionResponse> {
      permissionRequests.push(params);
      return { outcome: { outcome: "selected", optionId: options.permission ?? "reject_once" } };
    },
    async sessionUpdate(params) {
      updates.push(params);
      for (const w of [...waiters])
        if (w.pred(params)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(params);
        }
    },
    async readTextFile(params) {
      reads.push(params.path);
      return { content: await fs.readFile(params.path, "utf8") };
    },
    async writeTextFile(params) {
      writes.push({ path: params.path, content: params.content });
      await fs.writeFile(params.path, params.content);
      return {};
    },
    async createTerminal(params) {
      terminals.push(params);
      const id = `term-${terminals.length}`;
      const proc = spawn(params.command, params.args ?? [], { cwd: params.cwd ?? options.cwd });
      const entry = {
        output: "",
        proc,
        exit: new Promise<{ exitCode: number | null; signal: string | null }>((resolve) =>
          proc.on("close", (exitCode, signal) => resolve({ exitCode, signal })),
        ),
      };
      proc.stdout?.on("data", (d) => {
        entry.output += d;
      });
      proc.stderr?.on("data", (d) => {
        entry.output += d;
      });
      running.set(id, entry);
      return { terminalId: id };
    },
    async terminalOutput(params) {
      const t = running.get(params.terminalId);
      return { output: t?.output ?? "", truncated: false };
    },
    async waitForTerminalExit(params) {
      const t = running.get(params.terminalId);
      if (!t) throw new Error("unknown terminal");
      return t.exit;
    },
    async killTerminal(params) {
      running.get(params.terminalId)?.proc.kill("SIGKILL");
      return {};
    },
    async releaseTerminal(params) {
      running.get(params.terminalId)?.proc.kill("SIGKILL");
      running.delete(params.terminalId);
      return {};
    },
  };
  const stream = ndJsonStream(
    Writable.toWeb(child.stdin as Writable) as WritableStream<Uint8Array>,
    Readable.toWeb(child.stdout as Readable) as unknown as ReadableStream<Uint8Array>,
  );
  const connection = new ClientSideConnection(() => client, stream);
  return {
    child,
    connection,
    updates,
    permissionRequests,
    reads,
    writes,
    terminals,
    stderr: () => stderr,
    waitFor(pred) {
      const found = updates.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    close() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.on("close", (code) => resolve(code));
        child.stdin?.end();
      });
    },
  };
}

export async function initialize(h: AcpHarness, caps: { fs?: boolean; terminal?: boolean } = {}) {
  return h.connection.initialize({
    protocolVersion: 1,
    clientCapabilities: {
      fs: { readTextFile: caps.fs ?? false, writeTextFile: caps.fs ?? false },
      terminal: caps.terminal ?? false,
    },
    clientInfo: { name: "test-editor", version: "1.0.0" },
  });
}

/**
 * Registers the calling test file's clean-up with its `afterEach`: every harness pushed to `harnesses` is killed
 * and closed, and every server passed through `track` (the scripted model) is closed.
 */
export function useAcpCleanup(): {
  harnesses: AcpHarness[];
  track<T extends { close(): Promise<unknown> }>(server: T): T;
} {
  const harnesses: AcpHarness[] = [];
  const servers: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) {
      h.child.kill("SIGKILL");
      await h.close();
    }
    for (const s of servers.splice(0)) await s.close();
  });
  return {
    harnesses,
    track(server) {
      servers.push(server);
      return server;
    },
  };
}

import type { CliIO } from "../io.js";
import { withInterrupt } from "../wiring/interrupt.js";

const BINDINGS = { jsonrpc: "JSONRPC", rest: "HTTP+JSON", grpc: "GRPC" } as const;

export interface A2ASendCliOptions {
  url: string;
  message: string[];
  token?: string;
  /** Commander's `--no-stream` sets this to false. */
  stream?: boolean;
  json?: boolean;
  context?: string;
  task?: string;
  /** `--binding` (alias `--transport`): the A2A protocol binding. */
  binding?: "jsonrpc" | "rest" | "grpc";
  transport?: "jsonrpc" | "rest" | "grpc";
}

/** `codetether a2a send --url <agent> "message"`: wiring only (`@codetether/a2a` `runA2ASendCommand`). */
export async function a2aSendCommand(options: A2ASendCliOptions, io: CliIO): Promise<number> {
  const { runA2ASendCommand } = await import("@codetether/a2a");
  const token = options.token ?? io.env.CODETETHER_TOKEN;
  const binding = options.binding ?? options.transport;
  return withInterrupt(async (signal) => {
    const code = await runA2ASendCommand(
      {
        url: options.url,
        message: options.message.join(" "),
        ...(token ? { token } : {}),
        stream: options.stream !== false,
        ...(options.json ? { json: true } : {}),
        ...(options.context ? { contextId: options.context } : {}),
        ...(options.task ? { taskId: options.task } : {}),
        ...(binding ? { transport: BINDINGS[binding] } : {}),
        signal,
      },
      io,
    );
    return signal.aborted ? 130 : code;
  });
}

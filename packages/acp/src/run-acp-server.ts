import { Readable, Writable } from "node:stream";
import { AgentSideConnection, ndJsonStream } from "@agentclientprotocol/sdk";
import { CodetetherAcpAgent } from "./codetether-acp-agent.js";
import type { AcpAgentOptions } from "./options.js";

export interface AcpStreams {
  /** Where the editor's messages arrive (stdin). */
  input: NodeJS.ReadableStream;
  /** Where protocol messages go (stdout); nothing else may be written there. */
  output: NodeJS.WritableStream;
}

/**
 * Serves one editor connection over newline-delimited JSON-RPC until the input ends. Malformed lines
 * and unknown methods get JSON-RPC errors from the SDK; a failing handler answers with an error
 * instead of crashing the process.
 */
export async function runAcpServer(options: AcpAgentOptions, streams: AcpStreams): Promise<void> {
  const output = Writable.toWeb(streams.output as Writable) as WritableStream<Uint8Array>;
  const input = Readable.toWeb(streams.input as Readable) as unknown as ReadableStream<Uint8Array>;
  let agent: CodetetherAcpAgent | undefined;
  const connection = new AgentSideConnection(
    (conn) => {
      agent = new CodetetherAcpAgent(conn, options);
      return agent;
    },
    ndJsonStream(output, input),
  );
  await connection.closed;
  await agent?.dispose();
}

import { ConfigError } from "@codetether/core";
import { conformanceServerOptions } from "./conformance-mode.js";
import type { ServerOptions } from "./server-options.js";
import { startServer } from "./start-server.js";

export interface ServeCommandOptions extends ServerOptions {
  /** Print the bearer token itself (default: only where it comes from). */
  showToken?: boolean;
  /** Stops the server when aborted (the CLI passes one wired to SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** `--a2a-conformance`: serve the A2A TCK's agent-under-test contract instead of the model. */
  a2aConformance?: boolean;
  /** Environment for `TCK_STREAMING_TIMEOUT` (default process.env). */
  env?: Record<string, string | undefined>;
}

export interface ServeIO {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

/**
 * `codetether serve [--host 127.0.0.1] [--port 4096] [--grpc-port 4097]`: starts the server, prints where it listens and
 * where the token is, runs until `signal` aborts (or SIGINT/SIGTERM without a signal), then shuts down
 * gracefully. Returns the exit code.
 */
export async function runServeCommand(options: ServeCommandOptions, io: ServeIO): Promise<number> {
  if (
    options.port !== undefined &&
    (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)
  ) {
    io.stderr.write(`error: --port ${options.port} is not a port number (0-65535).\n`);
    return 2;
  }
  if (
    options.grpcPort !== undefined &&
    (!Number.isInteger(options.grpcPort) || options.grpcPort < 0 || options.grpcPort > 65535)
  ) {
    io.stderr.write(
      `error: --grpc-port ${options.grpcPort} is not a port number (0-65535; 0 disables gRPC).\n`,
    );
    return 2;
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    const serverOptions = options.a2aConformance
      ? conformanceServerOptions(options, options.env ?? process.env)
      : options;
    server = await startServer(serverOptions);
  } catch (err) {
    io.stderr.write(`error: could not start the server: ${(err as Error).message}\n`);
    // README: 2 = usage or configuration error. By name too: a bundle may hold its own copy of the class.
    return err instanceof ConfigError || (err as Error).name === "ConfigError" ? 2 : 1;
  }
  const { source, file } = server.tokenSource;
  io.stdout.write(`codetether serve listening on ${server.url}\n`);
  io.stdout.write(`Agent card: ${server.url}/.well-known/agent-card.json\n`);
  io.stdout.write(`A2A JSON-RPC: ${server.url}/a2a   HTTP+JSON: ${server.url}/a2a/rest\n`);
  io.stdout.write(server.grpcUrl ? `A2A gRPC: ${server.grpcUrl}\n` : "A2A gRPC: off (--grpc-port 0)\n");
  if (options.a2aConformance) {
    io.stdout.write(
      "A2A conformance mode: TCK agent-under-test executor (no model), push notifications on.\n",
    );
  }
  if (options.showToken || options.a2aConformance) io.stdout.write(`Bearer token: ${server.token}\n`);
  else if (source === "env") io.stdout.write("Bearer token: from CODETETHER_AUTH_TOKEN\n");
  else if (file) io.stdout.write(`Bearer token: stored in ${file} (${source})\n`);
  else io.stdout.write("Bearer token: as configured\n");

  await new Promise<void>((resolve) => {
    if (options.signal) {
      if (options.signal.aborted) return resolve();
      options.signal.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  io.stdout.write("Shutting down: persisting in-flight tasks, closing streams...\n");
  await server.close();
  io.stdout.write("Stopped.\n");
  return 0;
}

import { downloadProgressPrinter, ProviderError } from "@codetether/core";
import type { CommandIO } from "../cli-commands.js";
import { createLocalProvider, type LocalProviderOptions } from "./local-provider.js";

export interface LocalPullOptions {
  /** GGUF path or `hf:` URI; default: the local provider's default model. */
  model?: string;
  env?: Record<string, string | undefined>;
  /** Overrides for tests (endpoint, models dir). */
  provider?: Omit<LocalProviderOptions, "onDownloadProgress" | "env">;
  /** Draw a redrawn progress bar (TTY) instead of a line per 10%. Default: whether stderr is a TTY. */
  tty?: boolean;
  signal?: AbortSignal;
}

/**
 * `codetether models pull [<hf:uri | path>]`: downloads a local model ahead of time (or checks a path) and
 * prints the resolved file. Exit codes: 0 ready, 1 download failed or offline (the message says where to
 * put the file), 130 cancelled.
 */
export async function runLocalPullCommand(options: LocalPullOptions, io: CommandIO): Promise<number> {
  const provider = createLocalProvider({
    ...options.provider,
    env: options.env ?? process.env,
    onDownloadProgress: downloadProgressPrinter(
      (text) => io.stderr.write(text),
      options.tty ?? Boolean((process.stderr as { isTTY?: boolean }).isTTY),
    ),
  });
  const model = options.model ?? provider.defaultModel;
  try {
    const file = await provider.resolveModelFile(model, options.signal);
    io.stdout.write(`${file}\n`);
    return 0;
  } catch (err) {
    if (options.signal?.aborted) {
      io.stderr.write("codetether models pull: cancelled.\n");
      return 130;
    }
    io.stderr.write(
      `codetether models pull: ${err instanceof ProviderError || err instanceof Error ? err.message : String(err)}\n`,
    );
    return 1;
  } finally {
    await provider.dispose();
  }
}

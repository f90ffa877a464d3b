import { ProviderError } from "@codetether/core";
import type { CommandIO } from "./cli-commands.js";
import type { DownloadProgress } from "./local-model-source.js";
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

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** Renders download progress: a bar on a TTY, otherwise a line per 10% step. */
function progressPrinter(io: CommandIO, tty: boolean): (p: DownloadProgress) => void {
  let lastStep = -1;
  return (p) => {
    const fraction = p.totalBytes > 0 ? Math.min(1, p.downloadedBytes / p.totalBytes) : 0;
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      io.stderr.write(
        `\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
          `${mib(p.downloadedBytes)}/${mib(p.totalBytes)} MiB`,
      );
      if (fraction >= 1) io.stderr.write("\n");
      return;
    }
    const step = Math.floor(fraction * 10);
    if (step > lastStep) {
      lastStep = step;
      io.stderr.write(
        `downloading ${p.uri}: ${step * 10}% (${mib(p.downloadedBytes)}/${mib(p.totalBytes)} MiB)\n`,
      );
    }
  };
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
    onDownloadProgress: progressPrinter(
      io,
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

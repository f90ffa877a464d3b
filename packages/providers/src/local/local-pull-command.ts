import {
  downloadProgressPrinter,
  llamaRuntimeDir,
  ProviderError,
  readLlamaRuntimeManifest,
} from "@codetether/core";
import type { CommandIO } from "../cli-commands.js";
import { runtimeProgressPrinter } from "./llama-runtime-setup.js";
import { createLocalProvider, type LocalProvider, type LocalProviderOptions } from "./local-provider.js";

export interface LocalPullOptions {
  /** GGUF path or `hf:` URI; default: the local provider's default model. */
  model?: string;
  env?: Record<string, string | undefined>;
  /** Overrides for tests (endpoint, models dir). */
  provider?: Omit<LocalProviderOptions, "onDownloadProgress" | "env">;
  /** llama.cpp build to install besides the CPU one: `cuda`, `vulkan` (or `cpu`: none); default: detect. */
  gpu?: string;
  /** Draw a redrawn progress bar (TTY) instead of a line per 10%. Default: whether stderr is a TTY. */
  tty?: boolean;
  signal?: AbortSignal;
}

/** Installs the llama.cpp runtime when it does not load yet, or when `gpu` names a build it was installed without. */
async function ensureRuntime(
  provider: LocalProvider,
  options: LocalPullOptions,
  env: Record<string, string | undefined>,
  tty: boolean,
  io: CommandIO,
): Promise<void> {
  const plan = provider.runtimePlan(options.gpu);
  const installed = readLlamaRuntimeManifest(llamaRuntimeDir(env));
  const missingGpu = options.gpu !== undefined && plan.gpu.some((g) => !installed?.gpu.includes(g));
  if ((await provider.runtimeReady()) && !missingGpu) return;
  await provider.installRuntime({
    ...(options.gpu ? { gpu: options.gpu } : {}),
    onProgress: runtimeProgressPrinter((text) => io.stderr.write(text), tty),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * `codetether models --pull [<hf:uri | path>]`: installs the llama.cpp runtime into the data dir when it is not
 * there yet (the command is the consent), then downloads a local model ahead of time (or checks a path), and
 * prints the resolved file. Exit codes: 0 ready, 1 install/download failed or offline (the message says what to
 * download and where to put it), 2 bad `--gpu` or unsupported platform, 130 cancelled.
 */
export async function runLocalPullCommand(options: LocalPullOptions, io: CommandIO): Promise<number> {
  const env = options.env ?? process.env;
  const tty = options.tty ?? Boolean((process.stderr as { isTTY?: boolean }).isTTY);
  const provider = createLocalProvider({
    ...options.provider,
    env,
    onDownloadProgress: downloadProgressPrinter((text) => io.stderr.write(text), tty),
  });
  const model = options.model ?? provider.defaultModel;
  try {
    await ensureRuntime(provider, options, env, tty, io);
    const file = await provider.resolveModelFile(model, options.signal);
    io.stdout.write(`${file}\n`);
    return 0;
  } catch (err) {
    if (options.signal?.aborted) {
      io.stderr.write("codetether models --pull: cancelled.\n");
      return 130;
    }
    io.stderr.write(
      `codetether models --pull: ${err instanceof ProviderError || err instanceof Error ? err.message : String(err)}\n`,
    );
    return err instanceof ProviderError && err.kind === "bad_request" ? 2 : 1;
  } finally {
    await provider.dispose();
  }
}

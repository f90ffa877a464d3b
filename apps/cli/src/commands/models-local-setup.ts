import { createInterface } from "node:readline/promises";
import {
  downloadProgressPrinter,
  llamaRuntimeDir,
  npmRegistry,
  type Provider,
  ProviderError,
} from "@codetether/core";
import {
  assumeYes,
  describeRuntimeInstall,
  type LocalProvider,
  runtimeConsentMessage,
  runtimeProgressPrinter,
} from "@codetether/providers";
import { CliError, ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { withInterrupt } from "../wiring/interrupt.js";
import type { Runtime } from "../wiring/runtime.js";

/** The local provider (the embedded default) can install its runtime; other providers have nothing to prepare. */
export function isLocalProvider(provider: Provider): provider is LocalProvider {
  return "installRuntime" in provider && "runtimeReady" in provider;
}

/** Asks on the terminal; Enter means yes. */
async function ask(io: CliIO, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = (await rl.question(question)).trim().toLowerCase();
    return answer === "" || answer === "y" || answer === "yes";
  } finally {
    rl.close();
  }
}

/** A ProviderError from planning or installing, as the CLI error with the README's exit code. */
function asCliError(err: unknown): unknown {
  if (!(err instanceof ProviderError)) return err;
  return new CliError(err.message, err.kind === "bad_request" ? ExitCode.Usage : ExitCode.Failure);
}

/**
 * Before a `run` on the local provider: installs the llama.cpp runtime when it is missing — with `--yes`,
 * `CODETETHER_ASSUME_YES=1`, or a yes on the terminal; a non-TTY without consent is refused with exit 2 — then
 * fetches the model, both with progress, so the turn itself starts with everything in place.
 */
export async function prepareLocalProvider(
  provider: LocalProvider,
  model: string,
  options: { yes?: boolean },
  io: CliIO,
  signal: AbortSignal,
): Promise<void> {
  const tty = Boolean(io.stderr.isTTY);
  try {
    if (!(await provider.runtimeReady())) {
      const plan = provider.runtimePlan();
      const dir = llamaRuntimeDir(io.env);
      let consent = Boolean(options.yes) || assumeYes(io.env);
      if (!consent) {
        if (!io.stdin.isTTY || !tty) throw new CliError(runtimeConsentMessage(plan, dir), ExitCode.Usage);
        const registry = await npmRegistry(io.env);
        consent = await ask(
          io,
          `The local model runs on llama.cpp, which is not installed yet.\nInstall ${describeRuntimeInstall(plan, dir)} from ${registry}? [Y/n] `,
        );
        if (!consent) {
          throw new CliError(
            "Not installed. Run `codetether models --pull` when you want it, or use a provider with an API key (OPENAI_API_KEY, ANTHROPIC_API_KEY, …).",
            ExitCode.Failure,
          );
        }
      }
      await provider.installRuntime({
        onProgress: runtimeProgressPrinter((t) => io.stderr.write(t), tty),
        signal,
      });
    }
    await provider.resolveModelFile(
      model,
      signal,
      downloadProgressPrinter((t) => io.stderr.write(t), tty),
    );
  } catch (err) {
    if (signal.aborted) throw new CliError("cancelled.", ExitCode.Interrupted);
    throw asCliError(err);
  }
}

/**
 * `run` and `tui` on the embedded default: its llama.cpp runtime and model are installed before the first turn
 * (with consent and progress), not in the middle of it. Ctrl-C cancels; a failure that is not a usage error
 * (offline, a failed download) also says how to use a provider with a key instead, as a failed turn does.
 */
export async function prepareLocalDefault(
  runtime: Pick<Runtime, "setupHint">,
  provider: Provider,
  model: string,
  options: { yes?: boolean },
  io: CliIO,
): Promise<void> {
  if (!isLocalProvider(provider)) return;
  try {
    await withInterrupt((signal) => prepareLocalProvider(provider, model, options, io, signal));
  } catch (err) {
    if (!(err instanceof CliError) || err.exitCode !== ExitCode.Failure) throw err;
    const hint = await runtime.setupHint();
    throw hint ? new CliError(`${err.message}\n\n${hint}`, err.exitCode) : err;
  }
}

import { lookup } from "node:dns/promises";
import { access } from "node:fs/promises";

/** `hf:<user>/<repo>/<file>.gguf` (or `hf:<user>/<repo>:<quant>`) as node-llama-cpp understands them. */
export function isHfUri(value: string): boolean {
  return value.startsWith("hf:");
}

/** Host `hf:` downloads come from (node-llama-cpp honours `HF_ENDPOINT` too). */
function hfHost(env: Record<string, string | undefined>): string {
  try {
    return new URL(env.HF_ENDPOINT || "https://huggingface.co").hostname;
  } catch {
    return "huggingface.co";
  }
}

export interface ResolveModelPathOptions {
  modelsDir: string;
  /** Give up on a download after this long (default 10 minutes). */
  downloadTimeoutMs?: number;
  env?: Record<string, string | undefined>;
}

/**
 * A local path is used as is (after checking it exists). An `hf:` URI is resolved by node-llama-cpp into
 * `modelsDir`: a file downloaded before is used without the network; otherwise it is downloaded. Offline,
 * that fails at once (a DNS check comes first) with an error saying how to install the file by hand.
 */
export async function resolveModelPath(value: string, options: ResolveModelPathOptions): Promise<string> {
  if (!isHfUri(value)) {
    try {
      await access(value);
    } catch {
      throw new Error(
        `model file not found: ${value}. Set CODETETHER_TOOL_ROUTER_MODEL_PATH to a FunctionGemma .gguf file.`,
      );
    }
    return value;
  }
  const { resolveModelFile } = await import("node-llama-cpp");
  const base = { directory: options.modelsDir, cli: false } as const;
  try {
    return await resolveModelFile(value, { ...base, download: false });
  } catch {
    // not downloaded yet
  }
  const manual =
    `Download the .gguf on a machine with network access, copy it here and set ` +
    "CODETETHER_TOOL_ROUTER_MODEL_PATH to its path.";
  const host = hfHost(options.env ?? process.env);
  try {
    await lookup(host);
  } catch (err) {
    throw new Error(
      `cannot download ${value}: ${host} is unreachable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ` +
        `it is not in ${options.modelsDir} either. ${manual}`,
    );
  }
  const timeoutMs = options.downloadTimeoutMs ?? 10 * 60_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      resolveModelFile(value, { ...base, download: "auto" }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
      }),
    ]);
  } catch (err) {
    throw new Error(
      `could not download ${value} into ${options.modelsDir}: ${(err as Error).message}. ${manual}`,
    );
  } finally {
    if (timer) clearTimeout(timer);
  }
}

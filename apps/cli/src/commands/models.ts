import type { ModelInfo } from "@codetether/core";
import type { CliIO } from "../io.js";
import { createRuntime } from "../wiring/runtime.js";

/** `codetether models`: the catalog of every configured provider. */
export async function modelsCommand(options: { json?: boolean }, io: CliIO): Promise<number> {
  const runtime = createRuntime({ cwd: io.cwd, env: io.env });
  const registry = await runtime.providers();
  const models: ModelInfo[] = [];
  for (const id of registry.ids()) {
    const provider = registry.get(id);
    if (provider) models.push(...(await provider.listModels()));
  }
  if (options.json) {
    io.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
    return 0;
  }
  if (models.length === 0) {
    io.stdout.write(
      "No providers configured. See `codetether run --help` and the README's configuration section.\n",
    );
    return 0;
  }
  const price = (n?: number) => (n === undefined ? "-" : `$${n}`);
  for (const m of models) {
    io.stdout.write(
      `${`${m.provider}/${m.id}`.padEnd(48)} ctx ${String(m.contextWindow).padStart(8)}  tools ${m.supportsTools ? "yes" : "no "}  ` +
        `in ${price(m.pricing?.input)}/M out ${price(m.pricing?.output)}/M\n`,
    );
  }
  return 0;
}

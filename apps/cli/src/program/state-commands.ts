import type { Command } from "commander";
import { processIO } from "../io.js";
import { withInterrupt } from "../wiring/interrupt.js";
import { type Act, collect } from "./act.js";

/** Commands for local state: models, config (sessions: session-commands.ts). Each action lazy-loads its implementation. */
export function registerStateCommands(program: Command, act: Act): void {
  program
    .command("models")
    .description("List the models of every configured provider (limits, tool support, prices)")
    .argument("[provider]", "only this provider")
    .option("--json", "one JSON object per line")
    .option(
      "--pull [model]",
      "download a local GGUF model now (default: the embedded default; hf: URI or path)",
    )
    .option("--router", "with --pull: download the tool router's FunctionGemma model instead")
    .option(
      "--gpu <build>",
      "with --pull: llama.cpp build to install besides the CPU one: cuda, vulkan, or cpu (default: cuda where an NVIDIA GPU is found)",
    )
    .option("-y, --yes", "with --pull: accepted for scripts (--pull installs without asking)")
    .action(
      act(async (provider: string | undefined, options: Record<string, unknown>) => {
        const io = processIO();
        if (options.pull !== undefined && options.router) {
          const { pullRouterModelCommand } = await import("../commands/models.js");
          return withInterrupt((signal) => pullRouterModelCommand(io, signal));
        }
        if (options.pull !== undefined) {
          const { runLocalPullCommand } = await import("@codetether/providers");
          const model = typeof options.pull === "string" ? options.pull : undefined;
          const gpu = typeof options.gpu === "string" ? options.gpu : undefined;
          return withInterrupt((signal) =>
            runLocalPullCommand(
              { ...(model ? { model } : {}), ...(gpu ? { gpu } : {}), env: io.env, signal },
              io,
            ),
          );
        }
        const { modelsCommand } = await import("../commands/models.js");
        return modelsCommand({ ...options, ...(provider ? { provider } : {}) }, io);
      }),
    );
  program
    .command("config")
    .description("Show or change configuration")
    .option("--show", "print the effective config with the source of each value (secrets masked)")
    .option("--path", "print the config file paths")
    .option("--set <key=value>", "set a key in the user config (validated, atomic)", collect, [])
    .option("--unset <key>", "remove a key from the user config", collect, [])
    .option("--project", "with --set/--unset: write the project codetether.toml instead")
    .option("--json", "print JSON")
    .option("--set-provider <name>", "store a provider key/base URL in Vault or the 0600 file store")
    .option("--api-key <->", "with --set-provider: '-' reads the key from stdin")
    .option("--base-url <url>", "with --set-provider: the provider's base URL")
    .action(
      act(async (options: Record<string, unknown>) => {
        if (typeof options.setProvider === "string") {
          const { setProviderCommand } = await import("../commands/secrets.js");
          return setProviderCommand(options as { setProvider: string }, processIO());
        }
        const { configCommand } = await import("../commands/config.js");
        return configCommand(options, processIO());
      }),
    );
}

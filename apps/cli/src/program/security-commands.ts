import type { Command } from "commander";
import { processIO } from "../io.js";
import { type Act, parseIntOption } from "./act.js";

/** Commands for security: doctor, audit, tools, auth. Each action lazy-loads its implementation. */
export function registerSecurityCommands(program: Command, act: Act): void {
  program
    .command("doctor")
    .description("Report which sandbox protections this machine enforces and what bash's sandbox will do")
    .option("--json", "print JSON")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { doctorCommand } = await import("../commands/doctor.js");
        return doctorCommand(options, processIO());
      }),
    );
  const audit = program.command("audit").description("Inspect the hash-chained audit log (<dataDir>/audit)");
  audit
    .command("verify")
    .description("Check the hash chain; names the first edited, deleted, reordered or truncated record")
    .option("--dir <dir>", "audit directory (default: <dataDir>/audit)")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { auditVerifyCommand } = await import("../commands/audit.js");
        return auditVerifyCommand(options, processIO());
      }),
    );
  audit
    .command("query")
    .description("List audit records, oldest first")
    .option("--actor <actor>", "e.g. user, agent:<session>")
    .option("--action <action>", "e.g. tool.execute, permission.decision, plugin.refused")
    .option("--resource <resource>", "tool id, session id, path")
    .option("--outcome <outcome>", "success, failure, denied, error, allowed")
    .option("--since <time>", "ISO time, inclusive")
    .option("--until <time>", "ISO time, exclusive")
    .option("--after <seq>", "page after this sequence number", parseIntOption("--after"))
    .option("--limit <n>", "records per page", parseIntOption("--limit"))
    .option("--json", "JSON Lines")
    .option("--dir <dir>", "audit directory (default: <dataDir>/audit)")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { auditQueryCommand } = await import("../commands/audit.js");
        return auditQueryCommand(options, processIO());
      }),
    );
  const tools = program
    .command("tools")
    .description("List the agent's tools; sign and trust plugin tools (Ed25519 manifests)");
  tools
    .command("list")
    .description(
      "Every tool the agent would get here: source (builtin, mcp:<server>, plugin:<id>) and permissions",
    )
    .option("--json", "print JSON")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { toolsListCommand } = await import("../commands/tools.js");
        return toolsListCommand(options, processIO());
      }),
    );
  tools
    .command("keygen")
    .description("Create a signing key (0600) and print its public key")
    .option("--out <file>", "private key file (default: <configDir>/keys/tool-signing.pem)")
    .option("--force", "replace an existing key")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { toolsKeygenCommand } = await import("../commands/tools.js");
        return toolsKeygenCommand(options, processIO());
      }),
    );
  tools
    .command("sign")
    .description("Hash a plugin directory's files and sign its manifest.json")
    .argument("<dir>", "plugin directory")
    .option("--key <file>", "private key file (default: the keygen default)")
    .action(
      act(async (dir: string, options: Record<string, unknown>) => {
        const { toolsSignCommand } = await import("../commands/tools.js");
        return toolsSignCommand({ ...options, dir }, processIO());
      }),
    );
  tools
    .command("verify")
    .description("Check a plugin directory's signature (trusted keys) and file hashes")
    .argument("<dir>", "plugin directory")
    .action(
      act(async (dir: string) => {
        const { toolsVerifyCommand } = await import("../commands/tools.js");
        return toolsVerifyCommand({ dir }, processIO());
      }),
    );
  tools
    .command("trust")
    .description("Trust a public key (ed25519:...) for plugin tools")
    .argument("<pubkey>", "public key printed by keygen")
    .option("--comment <text>", "note stored with the key")
    .action(
      act(async (publicKey: string, options: Record<string, unknown>) => {
        const { toolsTrustCommand } = await import("../commands/tools.js");
        return toolsTrustCommand({ ...options, publicKey }, processIO());
      }),
    );
  program
    .command("trust")
    .description(
      "Trust a folder's config as it is now: its codetether.toml, .codetether/ and MCP servers may then loosen security (a config added or changed later needs trust again)",
    )
    .argument("[dir]", "the folder (default: the project folder of the current directory)")
    .option("--revoke", "stop trusting the folder (its config may only tighten security again)")
    .option(
      "--list",
      "list trusted and untrusted folders, with each approved config file and whether it changed",
    )
    .option("--json", "print JSON")
    .action(
      act(async (dir: string | undefined, options: Record<string, unknown>) => {
        const { trustCommand } = await import("../commands/trust.js");
        return trustCommand({ ...options, ...(dir ? { dir } : {}) }, processIO());
      }),
    );
  program
    .command("auth")
    .description("Sign in to a provider")
    .command("copilot")
    .description("GitHub Copilot: OAuth device flow; the token goes to the secret store")
    .option("--client-id <id>", "OAuth app client id (default: CODETETHER_COPILOT_OAUTH_CLIENT_ID)")
    .action(
      act(async (options: Record<string, unknown>) => {
        const { authCopilotCommand } = await import("../commands/auth.js");
        return authCopilotCommand(options, processIO());
      }),
    );
}

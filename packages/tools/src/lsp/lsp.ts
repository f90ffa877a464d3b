import path from "node:path";
import {
  defineTool,
  lazySchema,
  type Tool,
  type ToolContext,
  type ToolResult,
  toolFilePolicy,
  withJsonSchema,
} from "@codetether/core";
import type {
  CompletionItem,
  CompletionList,
  DocumentSymbol,
  Hover,
  Location,
  LocationLink,
  SymbolInformation,
  WorkspaceSymbol,
} from "vscode-languageserver-protocol";
import { z } from "zod";
import { TOOL_JSON_SCHEMAS } from "../generated/tool-json-schemas.js";
import { loadDescription } from "../util/description.js";
import { isSandboxService } from "../util/services.js";
import { languageFor } from "./language-servers.js";
import { fileUri } from "./lsp-client.js";
import { formatCompletion, formatHover, LocationFormatter } from "./lsp-format.js";
import { type LspManager, LspUnavailableError } from "./lsp-manager.js";

const POSITION_ACTIONS = ["definition", "references", "hover", "implementation", "completion"] as const;

export const lspParams = withJsonSchema(
  lazySchema(() =>
    z
      .object({
        action: z.enum([...POSITION_ACTIONS, "documentSymbol", "workspaceSymbol", "diagnostics"]),
        file_path: z.string().min(1, "file_path is required"),
        line: z.number().int().min(1, "line is 1-based (the first line is 1)").optional(),
        column: z.number().int().min(1, "column is 1-based (the first character is 1)").optional(),
        query: z.string().optional().describe("Symbol name or prefix for workspaceSymbol."),
        include_declaration: z.boolean().default(true),
      })
      .superRefine((args, ctx) => {
        if ((POSITION_ACTIONS as readonly string[]).includes(args.action)) {
          for (const key of ["line", "column"] as const) {
            if (args[key] === undefined) {
              ctx.addIssue({
                code: "custom",
                path: [key],
                message: `${key} is required for action "${args.action}"`,
              });
            }
          }
        }
        if (args.action === "workspaceSymbol" && !args.query?.trim()) {
          ctx.addIssue({
            code: "custom",
            path: ["query"],
            message: 'query is required for action "workspaceSymbol"',
          });
        }
      }),
  ),
  TOOL_JSON_SCHEMAS.lsp,
);

type LspArgs = z.infer<typeof lspParams>;

function fail(output: string, error: string): ToolResult {
  return { output, isError: true, metadata: { error } };
}

/** The `lsp` tool; servers are owned by `manager` (dispose it when the host shuts down). */
export function createLspTool(manager: LspManager): Tool<typeof lspParams> {
  return defineTool({
    id: "lsp",
    description: loadDescription(new URL("./lsp.txt", import.meta.url)),
    parameters: lspParams,
    kind: "read",
    paths: (args) => [args.file_path],
    async execute(args, ctx) {
      const file = path.resolve(ctx.cwd, args.file_path);
      try {
        return await runAction(manager, file, args, ctx);
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT")
          return fail(`File not found: ${args.file_path} (resolved to ${file}).`, "not_found");
        if (code === "EISDIR")
          return fail(`${args.file_path} is a directory; pass a source file.`, "is_directory");
        if (err instanceof LspUnavailableError) return fail(err.message, "no_server");
        return fail(`lsp ${args.action} failed: ${(err as Error).message}`, "lsp_error");
      }
    },
  });
}

async function runAction(
  manager: LspManager,
  file: string,
  args: LspArgs,
  ctx: ToolContext,
): Promise<ToolResult> {
  const sandbox = ctx.services?.sandbox;
  const { client, languageId, root, spec } = await manager.sessionFor(
    file,
    ctx.workspaceRoot,
    isSandboxService(sandbox) ? sandbox : undefined,
  );
  const languageIdFor = (f: string) =>
    spec.languageIds[path.extname(f).toLowerCase()] ?? languageFor(f)?.languageId;
  const seqBefore = client.diagnosticsSeq();
  const policy = toolFilePolicy(ctx, "lsp", "read");
  const changed = await client.sync(file, languageId, policy);
  await client.syncOpenDocuments(languageIdFor, policy);
  const format = new LocationFormatter(ctx.workspaceRoot, (f) => client.documentText(f), policy.roots);
  const textDocument = { uri: fileUri(file) };
  const metadata = { action: args.action, server: spec.language, root };
  const position = () => {
    const lines = client.documentText(file)?.split(/\r?\n/) ?? [];
    const line = args.line! - 1;
    if (line >= lines.length) {
      throw new Error(`line ${args.line} is past the end of ${args.file_path} (${lines.length} lines).`);
    }
    return { line, character: Math.min(args.column! - 1, lines[line]!.length) };
  };
  const ok = (output: string): ToolResult => ({ output, metadata });
  switch (args.action) {
    case "definition": {
      const result = await client.request<Location | Location[] | LocationLink[] | null>(
        "textDocument/definition",
        { textDocument, position: position() },
        ctx.signal,
      );
      return ok(format.locations(result, "definition"));
    }
    case "implementation": {
      const result = await client.request<Location | Location[] | LocationLink[] | null>(
        "textDocument/implementation",
        { textDocument, position: position() },
        ctx.signal,
      );
      return ok(format.locations(result, "implementation"));
    }
    case "references": {
      const result = await client.request<Location[] | null>(
        "textDocument/references",
        { textDocument, position: position(), context: { includeDeclaration: args.include_declaration } },
        ctx.signal,
      );
      return ok(format.locations(result, "reference"));
    }
    case "hover": {
      const hover = await client.request<Hover | null>(
        "textDocument/hover",
        { textDocument, position: position() },
        ctx.signal,
      );
      return ok(formatHover(hover));
    }
    case "completion": {
      const result = await client.request<CompletionItem[] | CompletionList | null>(
        "textDocument/completion",
        { textDocument, position: position() },
        ctx.signal,
      );
      return ok(formatCompletion(result));
    }
    case "documentSymbol": {
      const result = await client.request<DocumentSymbol[] | SymbolInformation[] | null>(
        "textDocument/documentSymbol",
        { textDocument },
        ctx.signal,
      );
      return ok(format.symbols(result, `No symbols in ${args.file_path}.`));
    }
    case "workspaceSymbol": {
      const result = await client.request<SymbolInformation[] | WorkspaceSymbol[] | null>(
        "workspace/symbol",
        { query: args.query!.trim() },
        ctx.signal,
      );
      return ok(format.symbols(result, `No symbols match "${args.query}".`));
    }
    case "diagnostics": {
      const { items, timedOut } = await client.waitForDiagnostics(file, changed ? seqBefore : -1, {
        timeoutMs: manager.diagnosticsTimeoutMs,
        quietMs: 750,
        signal: ctx.signal,
      });
      const note = timedOut
        ? `\n(the server published no diagnostics within ${manager.diagnosticsTimeoutMs / 1000}s; it may still be loading the project)`
        : "";
      return {
        output: format.diagnostics(file, items) + note,
        metadata: {
          ...metadata,
          count: items.length,
          errors: items.filter((d) => (d.severity ?? 1) === 1).length,
        },
      };
    }
  }
}

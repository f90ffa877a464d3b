import type { z } from "zod";
import type { PermissionGate } from "../permission/permission-gate.js";
import type { ToolDefinition } from "../provider/chat-request.js";
import { closestNames } from "../util/closest-names.js";
import type { Tool, ToolCallRequest, ToolContext, ToolResult } from "./tool.js";
import { toJsonSchema } from "./tool-json-schema.js";

/** Error results go back to the model; they say what was wrong and how to fix it. */
function errorResult(output: string, metadata?: Record<string, unknown>): ToolResult {
  return { output, isError: true, ...(metadata ? { metadata } : {}) };
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `- ${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("\n");
}

export interface ToolRegistryOptions {
  /** Evaluated before every execution (permissions, plan mode, confinement). */
  gate?: PermissionGate;
}

/**
 * Tools by id. Validates arguments with zod before execution, so invalid JSON, unknown tools and
 * schema violations become error results the model can correct (never a silent `{}`).
 */
export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();
  private definitionsCache: ToolDefinition[] | undefined;
  gate: PermissionGate | undefined;

  constructor(options: ToolRegistryOptions = {}) {
    this.gate = options.gate;
  }

  register(...tools: Tool[]): this {
    for (const tool of tools) this.tools.set(tool.id, tool as Tool);
    this.definitionsCache = undefined;
    return this;
  }

  unregister(id: string): boolean {
    this.definitionsCache = undefined;
    return this.tools.delete(id);
  }

  get(id: string): Tool | undefined {
    return this.tools.get(id);
  }

  list(): Tool[] {
    return [...this.tools.values()];
  }

  ids(): string[] {
    return [...this.tools.keys()];
  }

  /** A registry sharing these tool objects, restricted to `ids` (sub-agents, plan mode). */
  subset(ids: Iterable<string>): ToolRegistry {
    const sub = new ToolRegistry(this.gate ? { gate: this.gate } : {});
    for (const id of ids) {
      const tool = this.tools.get(id);
      if (tool) sub.register(tool);
    }
    return sub;
  }

  /** Tool definitions for the model, JSON Schema computed once per registry change. */
  definitions(): ToolDefinition[] {
    this.definitionsCache ??= this.list().map((tool) => ({
      name: tool.id,
      description: tool.description,
      parameters: toJsonSchema(tool.parameters),
    }));
    return this.definitionsCache;
  }

  /** Parses, validates, gates and runs one tool call. Never throws for model mistakes. */
  async execute(call: ToolCallRequest, ctx: ToolContext): Promise<ToolResult> {
    const tool = this.tools.get(call.name);
    if (!tool) {
      const suggestions = closestNames(call.name, this.ids(), 3);
      return errorResult(
        `Unknown tool "${call.name}".` +
          (suggestions.length ? ` Did you mean: ${suggestions.join(", ")}?` : "") +
          ` Available tools: ${this.ids().join(", ")}.`,
        { error: "unknown_tool" },
      );
    }
    let raw: unknown;
    try {
      raw = call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
    } catch (err) {
      return errorResult(
        `Invalid JSON in the arguments of "${call.name}": ${(err as Error).message}. ` +
          `Send a JSON object matching the tool's parameters. Received: ${truncate(call.arguments, 200)}`,
        { error: "invalid_json" },
      );
    }
    const parsed = tool.parameters.safeParse(raw);
    if (!parsed.success) {
      return errorResult(
        `Invalid arguments for "${call.name}":\n${formatIssues(parsed.error)}\n` +
          `Expected parameters (JSON Schema): ${JSON.stringify(toJsonSchema(tool.parameters))}`,
        { error: "invalid_arguments" },
      );
    }
    const args = parsed.data;
    if (this.gate) {
      const decision = await this.gate.check({ tool, args, ctx });
      if (decision.action !== "allow") {
        return errorResult(decision.reason, { error: "permission_denied", permission: decision.action });
      }
    }
    if (ctx.signal.aborted) return errorResult(`"${call.name}" was not run: the turn was cancelled.`);
    try {
      return await tool.execute(args, ctx);
    } catch (err) {
      if (ctx.signal.aborted) return errorResult(`"${call.name}" was cancelled.`, { error: "aborted" });
      return errorResult(`"${call.name}" failed: ${(err as Error).message ?? String(err)}`, {
        error: "execution_failed",
      });
    }
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

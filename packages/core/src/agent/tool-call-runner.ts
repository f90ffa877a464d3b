import type { ToolResultPart } from "../messages.js";
import type { ToolContext, ToolResult } from "../tool/tool.js";
import type { Agent } from "./agent.js";
import type { AgentEvent } from "./agent-event.js";
import { hookContextText } from "./agent-hooks.js";
import type { HookPoints } from "./hook-points.js";
import { toolResultPart } from "./step-tools.js";

/** One tool call the model made, as it appears in the response. */
export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Runs one tool call between its `pre_tool_use` and `post_tool_use` hooks and reports it (`tool-start`,
 * `tool-progress`, `tool-end`). A blocking `pre_tool_use` hook refuses the call; its reason is what the model sees.
 */
export async function runToolCall(
  agent: Agent,
  hookPoints: HookPoints,
  call: ToolCallRequest,
  signal: AbortSignal,
  emit: (e: AgentEvent) => void,
): Promise<ToolResultPart> {
  const { options } = agent;
  const { id: callId, name } = call;
  let args = call.arguments;
  let parsedArgs: unknown = args;
  try {
    parsedArgs = JSON.parse(args);
  } catch {
    // the registry reports invalid JSON to the model
  }
  const pre = await hookPoints.run(
    { event: "pre_tool_use", tool: name, callId, input: parsedArgs },
    signal,
    emit,
  );
  if (pre?.updatedInput !== undefined && pre.block === undefined) {
    parsedArgs = pre.updatedInput;
    args = JSON.stringify(pre.updatedInput);
  }
  emit({ type: "tool-start", callId, tool: name, args: parsedArgs });
  const started = performance.now();
  const ctx: ToolContext = {
    cwd: options.cwd,
    workspaceRoot: options.workspaceRoot ?? options.cwd,
    signal,
    sessionId: agent.session.id,
    callId,
    emit: (event) => emit({ type: "tool-progress", callId, tool: name, event }),
    ...(options.ask ? { ask: options.ask } : {}),
    services: { ...options.services, session: agent.session, agent },
  };
  let result: ToolResult =
    pre?.block !== undefined
      ? { output: pre.block, isError: true }
      : await options.tools.execute({ id: callId, name, arguments: args }, ctx);
  if (pre?.block === undefined) {
    const post = await hookPoints.run(
      { event: "post_tool_use", tool: name, callId, input: parsedArgs, response: result },
      signal,
      emit,
    );
    const notes = [post?.block, post?.additionalContext].filter((t): t is string => Boolean(t));
    if (notes.length)
      result = {
        ...result,
        output: `${result.output}\n\n${hookContextText("post_tool_use", notes.join("\n"))}`,
      };
  }
  emit({
    type: "tool-end",
    callId,
    tool: name,
    result,
    durationMs: Math.round(performance.now() - started),
  });
  return toolResultPart(callId, result, options.modelInfo);
}

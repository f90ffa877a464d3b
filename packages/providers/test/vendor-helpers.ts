import {
  Agent,
  type AgentEvent,
  defineTool,
  type Provider,
  ProviderError,
  type StreamChunk,
  type ToolDefinition,
  ToolRegistry,
  textMessage,
} from "@codetether/core";
import { expect, vi } from "vitest";
import { z } from "zod";

/** A real tool for the agent-loop tests: adds two numbers. */
export const addTool = defineTool({
  id: "add",
  description: "Add two numbers",
  kind: "read",
  parameters: z.object({ a: z.number(), b: z.number() }),
  async execute({ a, b }) {
    return { output: String(a + b) };
  },
});

/**
 * The agent-loop scenario: an agent with only {@link addTool} (two retries) asked "What is 2+3 and 10+5?" through
 * `provider`; the agent and every event it emitted.
 */
export async function runAdderAgent(provider: Provider, model: string, cwd: string) {
  const agent = new Agent({
    provider,
    model,
    tools: new ToolRegistry().register(addTool),
    cwd,
    rawSystemPrompt: "You add numbers.",
    maxRetries: 2,
  });
  const events: AgentEvent[] = [];
  for await (const event of agent.run("What is 2+3 and 10+5?")) events.push(event);
  return { agent, events };
}

/** The one tool the native-vendor tests declare. */
export const readToolDefinitions: ToolDefinition[] = [
  {
    name: "read",
    description: "Read a file",
    parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
];

/**
 * Reads a provider stream to its end or its first error, calling `onChunk` for each chunk (e.g. to abort
 * mid-stream). Returns every chunk seen and the error, if any, so tests can check what came before a failure.
 */
export async function drainStream(
  stream: AsyncIterable<StreamChunk>,
  onChunk?: (chunk: StreamChunk) => void,
): Promise<{ chunks: StreamChunk[]; error: unknown }> {
  const chunks: StreamChunk[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      onChunk?.(chunk);
    }
  } catch (error) {
    return { chunks, error };
  }
  return { chunks, error: undefined };
}

/** The error a promise rejects with, typed as the ProviderError the providers throw (undefined if it resolves). */
export function rejectionOf(promise: Promise<unknown>): Promise<ProviderError | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => e as ProviderError,
  );
}

/** A one-message request ("x" to model "m"), for the tests where only the transport matters. */
const anyRequest = () => ({ model: "m", messages: [textMessage("user", "x")] });

/**
 * Streams from `provider` (its fake server enqueued a reply cut after a few events): the stream ends with a
 * network ProviderError, after some text and before any finish.
 */
export async function expectCutMidStream(provider: Provider): Promise<void> {
  const { chunks, error } = await drainStream(provider.stream(anyRequest()));
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).kind).toBe("network");
  expect(chunks.some((c) => c.type === "text-delta")).toBe(true);
  expect(chunks.some((c) => c.type === "finish")).toBe(false);
}

/** Streams from `provider` and aborts its signal at the first text delta; returns the error the stream ended with. */
export async function abortAtFirstTextDelta(provider: Provider): Promise<unknown> {
  const controller = new AbortController();
  const { error } = await drainStream(provider.stream(anyRequest(), controller.signal), (c) => {
    if (c.type === "text-delta") controller.abort();
  });
  return error;
}

/**
 * Resets the module registry and records, in the returned list, each of `sdks` as it is imported from then on
 * (the module itself still loads): for checking which vendor SDKs a code path pulls in.
 */
export function recordSdkImports(sdks: string[]): string[] {
  const loaded: string[] = [];
  vi.resetModules();
  for (const sdk of sdks)
    vi.doMock(sdk, async (importOriginal) => {
      loaded.push(sdk);
      return importOriginal();
    });
  return loaded;
}

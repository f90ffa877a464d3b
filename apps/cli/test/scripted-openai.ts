import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { afterEach } from "vitest";
import { makeSandbox } from "./helpers.js";

export type ScriptedTurns = Parameters<typeof startScriptedOpenAI>[0];

/** The parts of an OpenAI chat-completions request body the CLI tests look at. */
export interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: unknown }>;
  tools?: Array<{ function: { name: string } }>;
}

/** The names of the tools a request declared, sorted. */
export const toolNames = (body: ChatBody | undefined) =>
  (body?.tools ?? []).map((t) => t.function.name).sort();

/**
 * The scripted OpenAI model of the calling test file, one per test: registers the `afterEach` that closes it.
 * `start(turns)` starts the model (closing the one before, if the test already started one); `boxFor(turns)`
 * also returns a temp HOME (see `makeSandbox`) whose env points the built CLI's `openai` provider at it.
 */
export function useScriptedOpenAI(options: { apiKey?: string } = {}) {
  let server: ScriptedOpenAI | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const chatRequests = () => (server?.requests ?? []).filter((r) => r.path.endsWith("/chat/completions"));
  const start = async (turns: ScriptedTurns) => {
    await server?.close();
    server = await startScriptedOpenAI(turns);
    return server;
  };
  return {
    /** Starts the current test's model (closing the one before). */
    start,
    /** The current test's model; undefined before `boxFor`. */
    get server(): ScriptedOpenAI | undefined {
      return server;
    },
    /** The chat-completions requests the current model got, oldest first. */
    chatRequests,
    /** Their bodies. */
    chatBodies: (): ChatBody[] => chatRequests().map((r) => r.body as ChatBody),
    async boxFor(turns: ScriptedTurns) {
      const started = await start(turns);
      const box = await makeSandbox();
      const env = { ...box.env, OPENAI_API_KEY: options.apiKey ?? "sk-test", OPENAI_BASE_URL: started.url };
      return { ...box, env };
    },
  };
}

/**
 * Scripted OpenAI models for tests that need several at once (one per run, an attacker's beside the real one):
 * registers the `afterEach` that closes them all and returns `scripted(turns)`, which starts one more.
 */
export function useScriptedModels(): (turns: ScriptedTurns) => Promise<ScriptedOpenAI> {
  const servers: ScriptedOpenAI[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (turns) => {
    const server = await startScriptedOpenAI(turns);
    servers.push(server);
    return server;
  };
}

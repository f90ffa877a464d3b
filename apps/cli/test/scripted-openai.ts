import { type ScriptedOpenAI, startScriptedOpenAI } from "@codetether/testing";
import { afterEach } from "vitest";
import { makeSandbox } from "./helpers.js";

export type ScriptedTurns = Parameters<typeof startScriptedOpenAI>[0];

/**
 * The scripted OpenAI model of the calling test file, one per test: registers the `afterEach` that closes it.
 * `boxFor(turns)` starts the model (closing the one before, if the test already started one) and returns a
 * temp HOME (see `makeSandbox`) whose env points the built CLI's `openai` provider at it.
 */
export function useScriptedOpenAI(options: { apiKey?: string } = {}) {
  let server: ScriptedOpenAI | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return {
    /** The current test's model; undefined before `boxFor`. */
    get server(): ScriptedOpenAI | undefined {
      return server;
    },
    /** The chat-completions requests the current model got, oldest first. */
    chatRequests() {
      return (server?.requests ?? []).filter((r) => r.path.endsWith("/chat/completions"));
    },
    async boxFor(turns: ScriptedTurns) {
      await server?.close();
      server = await startScriptedOpenAI(turns);
      const box = await makeSandbox();
      const env = { ...box.env, OPENAI_API_KEY: options.apiKey ?? "sk-test", OPENAI_BASE_URL: server.url };
      return { ...box, env };
    },
  };
}

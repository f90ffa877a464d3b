// The prompt's save runs while the first request is on its way (issue 25: its write and fsyncs delayed the first
// token), but nothing of the answer is recorded before it has finished, and a failed save still ends the turn.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { Agent, type Provider, type Session, SessionStore, ToolRegistry } from "../src/index.js";

function answering(onRequest: () => void): Provider {
  return {
    id: "fake",
    async listModels() {
      return [];
    },
    async *stream() {
      onRequest();
      yield { type: "text-delta", text: "answer" };
      yield { type: "finish", reason: "stop" };
    },
  };
}

/** A store whose first save finishes only once the model has been asked (or fails then). */
class GatedStore extends SessionStore {
  saves: number[] = [];
  private release!: () => void;
  readonly requested = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  constructor(
    dir: string,
    private readonly failFirst = false,
  ) {
    super(dir);
  }
  modelAsked(): void {
    this.release();
  }
  override async save(session: Session): Promise<void> {
    const n = this.saves.push(session.messages.length);
    if (n === 1) {
      await this.requested;
      if (this.failFirst) throw new Error("disk full");
    }
    return super.save(session);
  }
}

async function agentWith(failFirstSave: boolean) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-prompt-save-"));
  const store = new GatedStore(path.join(dir, "sessions"), failFirstSave);
  const agent = new Agent({
    provider: answering(() => store.modelAsked()),
    model: "m",
    tools: new ToolRegistry(),
    cwd: dir,
    store,
  });
  return { agent, store };
}

it("sends the first request before the prompt's save has finished, then saves prompt and answer", async () => {
  const { agent, store } = await agentWith(false);
  const end = await agent.runToEnd("hi");
  expect(end).toMatchObject({ type: "done", text: "answer" });
  expect(store.saves[0]).toBe(1);
  const saved = await store.load(agent.session.id);
  expect(saved.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
});

it("ends the turn with the save's error when the prompt cannot be saved", async () => {
  const { agent } = await agentWith(true);
  const end = await agent.runToEnd("hi");
  expect(end).toMatchObject({ type: "error", message: "disk full" });
});

import type { PermissionAnswer, PermissionPrompt, UserQuestion } from "@codetether/core";

/** A question waiting for the user: a permission prompt or a `question` tool prompt. */
export type PendingPrompt =
  | { kind: "permission"; request: PermissionPrompt; resolve: (answer: PermissionAnswer) => void }
  | { kind: "question"; question: UserQuestion; resolve: (answer: string) => void };

/**
 * Connects the `RuleGate` `prompt` callback and the agent's `ask` to the UI: each call queues a prompt
 * the UI shows one at a time; the promise resolves when the user answers. `cancelAll` denies what is
 * pending (used when the turn is interrupted).
 */
export class PromptBridge {
  private readonly queue: PendingPrompt[] = [];
  private readonly listeners = new Set<() => void>();

  /** For `new RuleGate({ prompt: bridge.permission })`. */
  readonly permission = (request: PermissionPrompt): Promise<PermissionAnswer> =>
    new Promise((resolve) => this.push({ kind: "permission", request, resolve }));

  /** For the agent's `ask` option (the `question` tool). */
  readonly ask = (question: UserQuestion): Promise<string> =>
    new Promise((resolve) => this.push({ kind: "question", question, resolve }));

  get current(): PendingPrompt | undefined {
    return this.queue[0];
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  answerPermission(answer: PermissionAnswer): void {
    const head = this.queue[0];
    if (head?.kind !== "permission") return;
    this.queue.shift();
    head.resolve(answer);
    this.notify();
  }

  answerQuestion(answer: string): void {
    const head = this.queue[0];
    if (head?.kind !== "question") return;
    this.queue.shift();
    head.resolve(answer);
    this.notify();
  }

  /** Denies every pending permission and answers pending questions with an empty string. */
  cancelAll(): void {
    const pending = this.queue.splice(0);
    for (const p of pending) {
      if (p.kind === "permission") p.resolve("deny");
      else p.resolve("");
    }
    if (pending.length) this.notify();
  }

  private push(prompt: PendingPrompt): void {
    this.queue.push(prompt);
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

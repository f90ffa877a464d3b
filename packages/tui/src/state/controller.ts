import type { Agent, CustomAgent, CustomCommand, Session, SessionSummary } from "@codetether/core";
import { expandCommand } from "@codetether/core";
import type { ControllerState, TuiDeps } from "./controller-types.js";
import { compactNow } from "./manual-compaction.js";
import {
  loadRalphView,
  type OrchestrationHost,
  type RunModel,
  runRalphView,
  runSwarmView,
} from "./orchestration.js";
import { listProviderModels, userTurns } from "./session-queries.js";
import { applyEvent, emptyTranscript, transcriptFromSession } from "./transcript.js";

export type { ControllerState, CreateAgentInput, TuiDeps } from "./controller-types.js";

/** Drives the agent for the UI: turns, interrupts, model switches, sessions, compaction. */
export class TuiController {
  private agent: Agent;
  private abort: AbortController | undefined;
  /** A running swarm or Ralph run, interrupted by Esc like a turn. */
  private orchestration: AbortController | undefined;
  private state: ControllerState;
  private readonly listeners = new Set<() => void>();
  private customAgent: CustomAgent | undefined;

  constructor(private readonly deps: TuiDeps) {
    const { provider, model } = deps.registry.resolve(deps.initialModel);
    const info = deps.lookupModel?.(provider.id, model);
    this.customAgent = deps.initialAgent;
    this.agent = deps.createAgent({
      provider,
      model,
      ...(info ? { modelInfo: info } : {}),
      ...(deps.session ? { session: deps.session } : {}),
      ...(this.customAgent ? { agent: this.customAgent } : {}),
    });
    if (this.customAgent) this.agent.session.metadata.agent = this.customAgent.name;
    this.state = {
      transcript: deps.session ? transcriptFromSession(deps.session) : emptyTranscript(),
      model: this.agent.modelString,
      ...(info ? { modelInfo: info } : {}),
      sessionId: this.agent.session.id,
      title: this.agent.session.title,
      ...(this.customAgent ? { agent: this.customAgent.name } : {}),
    };
  }

  get snapshot(): ControllerState {
    return this.state;
  }

  get running(): boolean {
    return this.state.transcript.running;
  }

  /** For React's useSyncExternalStore. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): ControllerState => this.state;

  update(patch: Partial<ControllerState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  notify(text: string, error = false): void {
    this.update({ notice: { text, error } });
  }

  /** Runs one turn; resolves when it ends (done, error or interrupt). */
  async submit(prompt: string): Promise<void> {
    if (this.running) {
      this.notify("A turn is running: press Esc to interrupt it first.", true);
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    const entries = [...this.state.transcript.entries, { kind: "user" as const, text: prompt }];
    this.update({ transcript: { ...this.state.transcript, entries, running: true } });
    try {
      for await (const event of this.agent.run(prompt, { signal: abort.signal })) {
        this.update({ transcript: applyEvent(this.state.transcript, event) });
      }
    } catch (err) {
      this.update({
        transcript: applyEvent(this.state.transcript, {
          type: "error",
          sessionId: this.agent.session.id,
          message: (err as Error).message,
          kind: "error",
        }),
      });
    } finally {
      if (this.abort === abort) this.abort = undefined;
      this.update({ sessionId: this.agent.session.id, title: this.agent.session.title });
    }
  }

  /** Esc: aborts the running turn; the session keeps everything up to the interrupt. */
  interrupt(): boolean {
    if (this.orchestration) {
      this.orchestration.abort();
      this.deps.bridge.cancelAll();
      return true;
    }
    if (!this.abort) return false;
    this.abort.abort();
    this.deps.bridge.cancelAll();
    return true;
  }

  /** Every `provider/model` of every configured provider; providers that fail to list are reported. */
  listModels(): Promise<{ models: string[]; errors: string[] }> {
    return listProviderModels(this.deps.registry, this.state.model);
  }

  private rebuild(modelString: string, session: Session | undefined): void {
    const { provider, model } = this.deps.registry.resolve(modelString);
    const info = this.deps.lookupModel?.(provider.id, model);
    this.agent = this.deps.createAgent({
      provider,
      model,
      ...(info ? { modelInfo: info } : {}),
      ...(session ? { session } : {}),
      ...(this.customAgent ? { agent: this.customAgent } : {}),
    });
    if (this.customAgent) this.agent.session.metadata.agent = this.customAgent.name;
    else delete this.agent.session.metadata.agent;
    const { modelInfo: _old, ...rest } = this.state;
    this.state = { ...rest, ...(info ? { modelInfo: info } : {}) };
    this.update({
      model: this.agent.modelString,
      sessionId: this.agent.session.id,
      title: this.agent.session.title,
    });
  }

  /** Switches model, keeping the session. Throws a readable error for an unknown provider. */
  setModel(modelString: string): void {
    if (this.running) throw new Error("Cannot switch model while a turn is running: press Esc first.");
    this.rebuild(modelString, this.agent.session);
    this.notify(`Model: ${this.state.model}`);
  }

  /** Custom commands for `/name args` and the `/` list; none when the host does not load them. */
  async customCommands(): Promise<CustomCommand[]> {
    return (await this.deps.customCommands?.()) ?? [];
  }

  async customAgents(): Promise<CustomAgent[]> {
    return (await this.deps.customAgents?.()) ?? [];
  }

  /** `/agent <name>` runs the session as a custom agent from now on; `/agent default` goes back. */
  async setAgent(name: string): Promise<void> {
    if (this.running) throw new Error("Cannot switch agent while a turn is running: press Esc first.");
    if (name === "default" || name === "none") this.customAgent = undefined;
    else {
      const agents = await this.customAgents();
      const agent = agents.find((a) => a.name.toLowerCase() === name.toLowerCase());
      if (!agent)
        throw new Error(
          `No custom agent "${name}". Defined: ${agents.map((a) => a.name).join(", ") || "(none)"}.`,
        );
      this.customAgent = agent;
    }
    this.rebuild(this.customAgent?.model ?? this.state.model, this.agent.session);
    this.update({ ...(this.customAgent ? { agent: this.customAgent.name } : { agent: undefined }) });
    this.notify(this.customAgent ? `Agent: ${this.customAgent.name}` : "Agent: default");
  }

  /** `/name args` for a custom command: its model and agent (when given), then its expanded prompt as a turn. */
  async runCustomCommand(command: CustomCommand, args: string): Promise<void> {
    if (this.running) throw new Error("A turn is running: press Esc to interrupt it first.");
    if (command.agent) await this.setAgent(command.agent);
    if (command.model) this.setModel(command.model);
    await this.submit(expandCommand(command.template, args));
  }

  /** The session's user turns (1-based) with the first line of each prompt, for the `/rewind` picker. */
  turns(): Array<{ turn: number; text: string }> {
    return userTurns(this.agent.session);
  }

  /** `/rewind <turn> [files|conversation|both]`: back to the end of a turn (turn 0: before the first). */
  async rewind(turn: number, scope: "files" | "conversation" | "both" = "both"): Promise<void> {
    if (!this.deps.rewind) throw new Error("Rewind is not available in this build.");
    if (this.running) throw new Error("Cannot rewind while a turn is running: press Esc first.");
    const session = this.agent.session;
    const result = await this.deps.rewind(session, turn, scope);
    if (scope !== "files") {
      await this.deps.store.save(session);
      this.update({ transcript: transcriptFromSession(session), title: session.title });
    }
    const files = [...new Set(result.restoredFiles)].length;
    this.notify(
      `Rewound to turn ${turn} (${scope}): ${files} file(s) restored, ${result.removedMessages} message(s) removed.`,
    );
  }

  newSession(): void {
    if (this.running) throw new Error("Cannot start a new session while a turn is running: press Esc first.");
    this.rebuild(this.state.model, undefined);
    this.update({ transcript: emptyTranscript() });
    this.notify("New session.");
  }

  listSessions(): Promise<SessionSummary[]> {
    return this.deps.store.list();
  }

  /** Loads a saved session and continues it (with its own model when that provider is configured). */
  async resume(id: string): Promise<void> {
    if (this.running) throw new Error("Cannot resume while a turn is running: press Esc first.");
    const session = await this.deps.store.load(id);
    const provider = session.model?.split("/")[0];
    const model =
      session.model && provider && this.deps.registry.has(provider) ? session.model : this.state.model;
    // The session goes on as the custom agent it ran as; one that no longer exists is said, not silently dropped.
    const saved = typeof session.metadata.agent === "string" ? session.metadata.agent : undefined;
    const agent = saved
      ? (await this.customAgents()).find((a) => a.name.toLowerCase() === saved.toLowerCase())
      : undefined;
    this.customAgent = agent;
    this.rebuild(model, session);
    this.update({ transcript: transcriptFromSession(session), agent: agent?.name });
    const missing =
      saved && !agent ? ` (its agent "${saved}" is not defined any more: running as the default)` : "";
    this.notify(
      `Resumed session ${session.id}: ${session.title}${agent ? ` as ${agent.name}` : ""}${missing}`,
    );
  }

  /** `/compact`: summarises older messages now (core `compactSession` with `force`). */
  async compact(): Promise<void> {
    if (this.running) throw new Error("Cannot compact while a turn is running: press Esc first.");
    const session = this.agent.session;
    if (session.messages.length === 0) {
      this.notify("Nothing to compact yet.");
      return;
    }
    const result = await compactNow(this.agent, this.state.modelInfo, (text) => this.notify(text));
    await this.deps.store.save(session);
    this.notify(`Compacted (${result.action}): ${result.tokensBefore} → ${result.tokensAfter} tokens.`);
  }

  private runModel(): RunModel {
    const { provider, model } = this.agent.options;
    return { provider, model, ...(this.state.modelInfo ? { modelInfo: this.state.modelInfo } : {}) };
  }

  private host(): OrchestrationHost {
    return {
      ...(this.state.swarm ? { swarmView: this.state.swarm } : {}),
      ...(this.state.ralph ? { ralphView: this.state.ralph } : {}),
      setSwarm: (swarm) => this.update({ swarm }),
      setRalph: (ralph) => this.update({ ralph }),
      track: (abort) => {
        this.orchestration = abort;
      },
    };
  }

  /** `/swarm <task>`: runs a swarm with live per-agent progress in the swarm view. */
  async startSwarm(task: string): Promise<void> {
    if (!this.deps.swarm)
      throw new Error("Swarm is not available in this build (@codetether/swarm is not wired).");
    if (this.running || this.orchestration) throw new Error("Something is running: press Esc first.");
    await runSwarmView(this.host(), this.deps.swarm, task, this.runModel());
  }

  /** `/ralph [prd]`: per-story progress of a PRD. */
  async showRalph(prdPath: string): Promise<void> {
    if (!this.deps.ralph)
      throw new Error("Ralph is not available in this build (@codetether/ralph is not wired).");
    await loadRalphView(this.host(), this.deps.ralph, prdPath);
  }

  /** `/ralph run [prd]`: works through the PRD's stories with live progress. */
  async runRalph(prdPath: string): Promise<void> {
    if (!this.deps.ralph)
      throw new Error("Ralph is not available in this build (@codetether/ralph is not wired).");
    if (this.running || this.orchestration) throw new Error("Something is running: press Esc first.");
    await runRalphView(this.host(), this.deps.ralph, prdPath, this.runModel());
  }
}

import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Provider } from "@codetether/core";
import { buildSnapshot, loadCognitionState, saveCognitionState } from "./cognition-state.js";
import {
  type CognitionStatus,
  type CreatePersonaRequest,
  type Lineage,
  type MemorySnapshot,
  type PersonaRuntimeState,
  ReapPersonaRequestSchema,
  type SpawnPersonaRequest,
  SpawnPersonaRequestSchema,
  type StartCognitionRequest,
  StartCognitionRequestSchema,
  type ThoughtEvent,
  type ThoughtEventType,
} from "./cognition-types.js";
import { PersonaRegistry } from "./persona-registry.js";
import { PHASE_EVENT, PHASES, think } from "./thinker.js";

export interface CognitionEngineOptions {
  /** The model personas think with (the configured provider). */
  provider: Provider;
  model: string;
  /** State (personas, snapshots) persists to `<dataDir>/cognition/state.json`. */
  dataDir: string;
  loopIntervalMs?: number;
  /** Upper bound on tokens per thought (further limited by the persona's remaining budget). */
  maxThoughtTokens?: number;
  maxEventsBuffered?: number;
  maxSnapshotsBuffered?: number;
  now?: () => number;
}

export const ROOT_THINKER: CreatePersonaRequest = {
  persona_id: "root-thinker",
  name: "Root Thinker",
  role: "orchestrator",
  charter:
    "Keep a coherent picture of the workspace and the work in progress; notice risks and open questions.",
  tags: ["root"],
};

const WINDOW_MS = 60_000;

/**
 * The perpetual-persona cognition loop: on every tick each active persona takes its next step
 * (observe → reflect → test → compress) with the configured model, within its per-minute token and
 * compute budget. Thoughts are broadcast as events; compress steps become persisted memory snapshots.
 */
export class CognitionEngine {
  readonly registry: PersonaRegistry;
  private readonly events: ThoughtEvent[] = [];
  private readonly snapshots: MemorySnapshot[] = [];
  private readonly listeners = new Set<(event: ThoughtEvent) => void>();
  private readonly phaseIndex = new Map<string, number>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private loopIntervalMs: number;
  private startedAt: string | undefined;
  private lastTickAt: string | undefined;
  private latestThought: ThoughtEvent | undefined;

  constructor(private readonly options: CognitionEngineOptions) {
    this.now = options.now ?? Date.now;
    this.registry = new PersonaRegistry(this.now);
    this.loopIntervalMs = options.loopIntervalMs ?? 2_000;
  }

  private get stateFile(): string {
    return path.join(this.options.dataDir, "cognition", "state.json");
  }

  /** Loads persisted personas and snapshots (missing state is a fresh start). */
  async load(): Promise<void> {
    const state = await loadCognitionState(this.stateFile);
    for (const p of state.personas) this.registry.personas.set(p.identity.id, p);
    this.snapshots.push(...state.snapshots);
  }

  persist(): Promise<void> {
    return saveCognitionState(this.stateFile, {
      personas: [...this.registry.personas.values()],
      snapshots: this.snapshots,
    });
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  subscribe(listener: (event: ThoughtEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recentEvents(limit = 100): ThoughtEvent[] {
    return this.events.slice(-limit);
  }

  latestSnapshot(): MemorySnapshot | undefined {
    return this.snapshots[this.snapshots.length - 1];
  }

  async start(input: StartCognitionRequest = {}): Promise<CognitionStatus> {
    const request = StartCognitionRequestSchema.parse(input);
    if (request.loop_interval_ms) this.loopIntervalMs = request.loop_interval_ms;
    if (request.seed_persona) {
      this.createPersona(request.seed_persona);
    } else if (this.registry.active().length === 0) {
      const root = this.registry.personas.get("root-thinker");
      if (root && root.status !== "reaped") {
        root.status = "active";
        root.last_progress_at = new Date(this.now()).toISOString();
      } else {
        this.createPersona(ROOT_THINKER);
      }
    }
    if (!this.timer) {
      this.startedAt = new Date(this.now()).toISOString();
      this.abort = new AbortController();
      this.schedule();
    }
    await this.persist();
    return this.status();
  }

  async stop(reason?: string): Promise<CognitionStatus> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort(new Error(reason ?? "cognition stopped"));
    await this.ticking?.catch(() => {});
    await this.persist();
    return this.status();
  }

  status(): CognitionStatus {
    const personas = [...this.registry.personas.values()];
    const latest = this.latestSnapshot();
    const thought = this.latestThought;
    return {
      enabled: true,
      running: this.running,
      loop_interval_ms: this.loopIntervalMs,
      ...(this.startedAt ? { started_at: this.startedAt } : {}),
      ...(this.lastTickAt ? { last_tick_at: this.lastTickAt } : {}),
      persona_count: personas.length,
      active_persona_count: personas.filter((p) => p.status === "active").length,
      events_buffered: this.events.length,
      snapshots_buffered: this.snapshots.length,
      ...(latest ? { latest_snapshot_at: latest.generated_at } : {}),
      ...(thought
        ? {
            latest_thought: String(thought.payload.text ?? ""),
            latest_thought_model: `${this.options.provider.id}/${this.options.model}`,
            latest_thought_source: thought.persona_id ?? "",
          }
        : {}),
    };
  }

  createPersona(input: CreatePersonaRequest): PersonaRuntimeState {
    const persona = this.registry.create(input);
    if (persona.identity.parent_id) {
      this.emit("persona_spawned", persona, {
        parent_id: persona.identity.parent_id,
        name: persona.identity.name,
      });
    }
    void this.persist().catch(() => {});
    return persona;
  }

  spawn(parentId: string, input: SpawnPersonaRequest): PersonaRuntimeState {
    const request = SpawnPersonaRequestSchema.parse(input);
    this.registry.get(parentId);
    return this.createPersona({ ...request, parent_id: parentId });
  }

  reap(id: string, input: unknown = {}): { reaped_ids: string[]; count: number } {
    const request = ReapPersonaRequestSchema.parse(input ?? {});
    const ids = this.registry.reap(id, request.cascade);
    for (const reaped of ids) {
      this.emit("persona_reaped", this.registry.get(reaped), { reason: request.reason ?? "requested" });
    }
    void this.persist().catch(() => {});
    return { reaped_ids: ids, count: ids.length };
  }

  lineage(): Lineage {
    return this.registry.lineage();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        if (this.timer) this.schedule();
      });
    }, this.loopIntervalMs);
    this.timer.unref();
  }

  /** One loop iteration over every active persona (public so tests and hosts can drive it). */
  async tick(): Promise<void> {
    const now = this.now();
    this.lastTickAt = new Date(now).toISOString();
    for (const persona of this.registry.active()) {
      if (this.abort?.signal.aborted && this.running) return;
      if (now - Date.parse(persona.last_progress_at) > persona.policy.idle_ttl_secs * 1000) {
        persona.status = "idle";
        this.emit("idle_reaped", persona, { idle_ttl_secs: persona.policy.idle_ttl_secs });
        continue;
      }
      if (now - Date.parse(persona.window_started_at) >= WINDOW_MS) {
        persona.window_started_at = new Date(now).toISOString();
        persona.tokens_this_window = 0;
        persona.compute_ms_this_window = 0;
        persona.budget_paused = false;
      }
      const tokensLeft = persona.policy.token_budget_per_minute - persona.tokens_this_window;
      const computeLeft = persona.policy.compute_ms_per_minute - persona.compute_ms_this_window;
      if (tokensLeft <= 0 || computeLeft <= 0) {
        if (!persona.budget_paused) {
          persona.budget_paused = true;
          this.emit("budget_paused", persona, {
            tokens_this_window: persona.tokens_this_window,
            compute_ms_this_window: persona.compute_ms_this_window,
          });
        }
        continue;
      }
      await this.step(persona, Math.max(16, Math.min(this.options.maxThoughtTokens ?? 256, tokensLeft)));
    }
    await this.persist().catch(() => {});
  }

  private async step(persona: PersonaRuntimeState, maxTokens: number): Promise<void> {
    const index = this.phaseIndex.get(persona.identity.id) ?? 0;
    const phase = PHASES[index % PHASES.length]!;
    this.phaseIndex.set(persona.identity.id, index + 1);
    const recent = this.events
      .filter((e) => e.persona_id === persona.identity.id && e.payload.text)
      .slice(-8);
    try {
      const thought = await think({
        provider: this.options.provider,
        model: this.options.model,
        persona,
        phase,
        recent,
        maxTokens,
        ...(this.abort ? { signal: this.abort.signal } : {}),
      });
      persona.tokens_this_window += thought.tokens;
      persona.compute_ms_this_window += thought.computeMs;
      persona.thought_count++;
      const at = new Date(this.now()).toISOString();
      persona.last_tick_at = at;
      persona.updated_at = at;
      if (thought.text) persona.last_progress_at = at;
      if (phase === "compress") this.addSnapshot(persona, thought.text, recent.length);
      const event = this.emit(PHASE_EVENT[phase], persona, {
        phase,
        text: thought.text,
        tokens: thought.tokens,
      });
      this.latestThought = event;
    } catch (err) {
      if (this.abort?.signal.aborted) return;
      this.emit("thought_failed", persona, { phase, error: (err as Error).message });
    }
  }

  private addSnapshot(persona: PersonaRuntimeState, summary: string, hot: number): void {
    this.snapshots.push(
      buildSnapshot({
        persona,
        summary,
        hotEvents: hot,
        coldSnapshots: this.snapshots.length,
        model: `${this.options.provider.id}/${this.options.model}`,
        at: this.now(),
      }),
    );
    const max = this.options.maxSnapshotsBuffered ?? 50;
    if (this.snapshots.length > max) this.snapshots.splice(0, this.snapshots.length - max);
  }

  private emit(
    type: ThoughtEventType,
    persona: PersonaRuntimeState,
    payload: Record<string, unknown>,
  ): ThoughtEvent {
    const event: ThoughtEvent = {
      id: `evt_${randomUUID()}`,
      event_type: type,
      persona_id: persona.identity.id,
      ...(persona.identity.swarm_id ? { swarm_id: persona.identity.swarm_id } : {}),
      timestamp: new Date(this.now()).toISOString(),
      payload,
    };
    this.events.push(event);
    const max = this.options.maxEventsBuffered ?? 1000;
    if (this.events.length > max) this.events.splice(0, this.events.length - max);
    for (const listener of this.listeners) listener(event);
    return event;
  }
}

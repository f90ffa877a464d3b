import { lazySchema } from "@codetether/core";
import { z } from "zod";

const id = lazySchema(() =>
  z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "use 1-64 letters, digits, '_', '-' or '.'"),
);

export const PersonaPolicySchema = lazySchema(() =>
  z
    .object({
      max_spawn_depth: z.number().int().min(0).max(16).default(4),
      max_branching_factor: z.number().int().min(0).max(64).default(4),
      token_budget_per_minute: z.number().int().min(0).default(20_000),
      compute_ms_per_minute: z.number().int().min(0).default(10_000),
      idle_ttl_secs: z.number().int().min(1).default(3600),
      share_memory: z.boolean().default(false),
      allowed_tools: z.array(z.string()).default([]),
    })
    .strict(),
);
export type PersonaPolicy = z.infer<typeof PersonaPolicySchema>;

export const CreatePersonaRequestSchema = lazySchema(() =>
  z
    .object({
      persona_id: id.optional(),
      name: z.string().min(1).max(200),
      role: z.string().min(1).max(200),
      charter: z.string().min(1).max(8000),
      swarm_id: id.optional(),
      parent_id: id.optional(),
      policy: PersonaPolicySchema.partial().optional(),
      tags: z.array(z.string().max(100)).max(50).default([]),
    })
    .strict(),
);
export type CreatePersonaRequest = z.input<typeof CreatePersonaRequestSchema>;

export const SpawnPersonaRequestSchema = lazySchema(() =>
  CreatePersonaRequestSchema.omit({ parent_id: true }),
);
export type SpawnPersonaRequest = z.input<typeof SpawnPersonaRequestSchema>;

export const ReapPersonaRequestSchema = lazySchema(() =>
  z.object({ cascade: z.boolean().default(false), reason: z.string().max(1000).optional() }).strict(),
);

export const StartCognitionRequestSchema = lazySchema(() =>
  z
    .object({
      loop_interval_ms: z.number().int().min(50).max(3_600_000).optional(),
      seed_persona: CreatePersonaRequestSchema.optional(),
    })
    .strict(),
);
export type StartCognitionRequest = z.input<typeof StartCognitionRequestSchema>;

export const StopCognitionRequestSchema = lazySchema(() =>
  z.object({ reason: z.string().max(1000).optional() }).strict(),
);

export type PersonaStatus = "active" | "idle" | "reaped" | "error";

export interface PersonaIdentity {
  id: string;
  name: string;
  role: string;
  charter: string;
  swarm_id?: string;
  parent_id?: string;
  depth: number;
  created_at: string;
  tags: string[];
}

export interface PersonaRuntimeState {
  identity: PersonaIdentity;
  policy: PersonaPolicy;
  status: PersonaStatus;
  thought_count: number;
  last_tick_at?: string;
  updated_at: string;
  tokens_this_window: number;
  compute_ms_this_window: number;
  window_started_at: string;
  last_progress_at: string;
  budget_paused: boolean;
}

export type ThoughtEventType =
  | "thought_generated"
  | "hypothesis_raised"
  | "check_result"
  | "thought_failed"
  | "snapshot_compressed"
  | "persona_spawned"
  | "persona_reaped"
  | "budget_paused"
  | "idle_reaped";

export interface ThoughtEvent {
  id: string;
  event_type: ThoughtEventType;
  persona_id?: string;
  swarm_id?: string;
  timestamp: string;
  payload: Record<string, unknown>;
}

export interface MemorySnapshot {
  id: string;
  generated_at: string;
  swarm_id?: string;
  persona_scope: string[];
  summary: string;
  hot_event_count: number;
  warm_fact_count: number;
  cold_snapshot_count: number;
  metadata: Record<string, unknown>;
}

export interface CognitionStatus {
  enabled: boolean;
  running: boolean;
  loop_interval_ms: number;
  started_at?: string;
  last_tick_at?: string;
  persona_count: number;
  active_persona_count: number;
  events_buffered: number;
  snapshots_buffered: number;
  latest_snapshot_at?: string;
  latest_thought?: string;
  latest_thought_model?: string;
  latest_thought_source?: string;
}

export interface LineageNode {
  persona_id: string;
  parent_id?: string;
  children: string[];
  depth: number;
  status: PersonaStatus;
}

export interface Lineage {
  nodes: LineageNode[];
  roots: string[];
  total_edges: number;
}

/** A cognition request that cannot be served; `status` is the HTTP status to answer with. */
export class CognitionError extends Error {
  override readonly name = "CognitionError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

import { randomUUID } from "node:crypto";
import {
  CognitionError,
  type CreatePersonaRequest,
  CreatePersonaRequestSchema,
  type Lineage,
  PersonaPolicySchema,
  type PersonaRuntimeState,
} from "./cognition-types.js";

/** The personas and their lineage (parent → children), with spawn-depth and branching limits. */
export class PersonaRegistry {
  readonly personas = new Map<string, PersonaRuntimeState>();

  constructor(private readonly now: () => number = Date.now) {}

  get(id: string): PersonaRuntimeState {
    const persona = this.personas.get(id);
    if (!persona)
      throw new CognitionError(`No persona "${id}". List personas with GET /v1/swarm/lineage.`, 404);
    return persona;
  }

  active(): PersonaRuntimeState[] {
    return [...this.personas.values()].filter((p) => p.status === "active");
  }

  children(id: string): PersonaRuntimeState[] {
    return [...this.personas.values()].filter((p) => p.identity.parent_id === id);
  }

  create(input: CreatePersonaRequest): PersonaRuntimeState {
    const request = CreatePersonaRequestSchema.parse(input);
    const id = request.persona_id ?? `persona_${randomUUID().slice(0, 8)}`;
    const existing = this.personas.get(id);
    if (existing && existing.status !== "reaped") {
      throw new CognitionError(`Persona "${id}" already exists; choose another persona_id.`, 409);
    }
    let depth = 0;
    let swarmId = request.swarm_id;
    if (request.parent_id) {
      const parent = this.get(request.parent_id);
      if (parent.status === "reaped") {
        throw new CognitionError(
          `Parent persona "${parent.identity.id}" was reaped; it cannot have children.`,
          409,
        );
      }
      depth = parent.identity.depth + 1;
      if (depth > parent.policy.max_spawn_depth) {
        throw new CognitionError(
          `Spawning under "${parent.identity.id}" would reach depth ${depth}, above its max_spawn_depth ` +
            `${parent.policy.max_spawn_depth}. Spawn from a shallower persona or raise the policy.`,
          422,
        );
      }
      const live = this.children(parent.identity.id).filter((c) => c.status !== "reaped").length;
      if (live >= parent.policy.max_branching_factor) {
        throw new CognitionError(
          `Persona "${parent.identity.id}" already has ${live} live children (max_branching_factor ` +
            `${parent.policy.max_branching_factor}). Reap one first or raise the policy.`,
          422,
        );
      }
      swarmId ??= parent.identity.swarm_id;
    }
    const at = new Date(this.now()).toISOString();
    const persona: PersonaRuntimeState = {
      identity: {
        id,
        name: request.name,
        role: request.role,
        charter: request.charter,
        ...(swarmId ? { swarm_id: swarmId } : {}),
        ...(request.parent_id ? { parent_id: request.parent_id } : {}),
        depth,
        created_at: at,
        tags: request.tags,
      },
      policy: PersonaPolicySchema.parse(request.policy ?? {}),
      status: "active",
      thought_count: 0,
      updated_at: at,
      tokens_this_window: 0,
      compute_ms_this_window: 0,
      window_started_at: at,
      last_progress_at: at,
      budget_paused: false,
    };
    this.personas.set(id, persona);
    return persona;
  }

  /** Reaps a persona (and with `cascade` its whole subtree); returns the ids reaped now. */
  reap(id: string, cascade: boolean): string[] {
    const root = this.get(id);
    const live = this.children(id).filter((c) => c.status !== "reaped");
    if (!cascade && live.length) {
      throw new CognitionError(
        `Persona "${id}" has live children (${live.map((c) => c.identity.id).join(", ")}); ` +
          'pass {"cascade": true} to reap them too.',
        409,
      );
    }
    const out: string[] = [];
    const visit = (p: PersonaRuntimeState) => {
      for (const child of this.children(p.identity.id)) visit(child);
      if (p.status !== "reaped") {
        p.status = "reaped";
        p.updated_at = new Date(this.now()).toISOString();
        out.push(p.identity.id);
      }
    };
    visit(root);
    return out;
  }

  lineage(): Lineage {
    const nodes = [...this.personas.values()].map((p) => ({
      persona_id: p.identity.id,
      ...(p.identity.parent_id ? { parent_id: p.identity.parent_id } : {}),
      children: this.children(p.identity.id).map((c) => c.identity.id),
      depth: p.identity.depth,
      status: p.status,
    }));
    return {
      nodes,
      roots: nodes.filter((n) => !n.parent_id).map((n) => n.persona_id),
      total_edges: nodes.filter((n) => n.parent_id).length,
    };
  }
}

import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import { writeFileAtomic } from "@codetether/core";
import type { MemorySnapshot, PersonaRuntimeState } from "./cognition-types.js";

export interface CognitionState {
  personas: PersonaRuntimeState[];
  snapshots: MemorySnapshot[];
}

/** Reads `state.json`; a missing file is an empty state, a damaged one an error naming the file. */
export async function loadCognitionState(file: string): Promise<CognitionState> {
  let raw: string;
  try {
    raw = await fs.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { personas: [], snapshots: [] };
    throw err;
  }
  try {
    const state = JSON.parse(raw) as Partial<CognitionState>;
    return { personas: state.personas ?? [], snapshots: state.snapshots ?? [] };
  } catch (err) {
    throw new Error(
      `Cognition state ${file} is not valid JSON (${(err as Error).message}); it was left untouched. ` +
        "Move it away to start with no personas.",
    );
  }
}

/** Writes the state atomically with mode 0600 (thoughts may quote workspace content). */
export async function saveCognitionState(file: string, state: CognitionState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({ version: 1, ...state })}\n`, { mode: 0o600 });
}

/** A memory snapshot from a persona's compress step. */
export function buildSnapshot(options: {
  persona: PersonaRuntimeState;
  summary: string;
  hotEvents: number;
  coldSnapshots: number;
  model: string;
  at: number;
}): MemorySnapshot {
  const { persona, summary } = options;
  return {
    id: `snap_${randomUUID().slice(0, 12)}`,
    generated_at: new Date(options.at).toISOString(),
    ...(persona.identity.swarm_id ? { swarm_id: persona.identity.swarm_id } : {}),
    persona_scope: [persona.identity.id],
    summary,
    hot_event_count: options.hotEvents,
    warm_fact_count: summary.split("\n").filter((l) => l.trim()).length,
    cold_snapshot_count: options.coldSnapshots,
    metadata: { model: options.model },
  };
}

import { lazySchema } from "@codetether/core";
import { z } from "zod";

/** Decomposition strategies: how the LLM is asked to split the task. */
export const SwarmStrategySchema = lazySchema(() => z.enum(["auto", "domain", "data", "stage", "none"]));
export type SwarmStrategy = z.infer<typeof SwarmStrategySchema>;

/** One subtask as the LLM proposes it. Dependencies name other subtasks. */
export const ProposedSubtaskSchema = lazySchema(() =>
  z.object({
    name: z.string().trim().min(1, "name must be a non-empty string").max(120),
    instruction: z.string().trim().min(1, "instruction must say what the sub-agent should do"),
    specialty: z.string().trim().max(120).optional(),
    dependencies: z.array(z.string()).default([]),
    priority: z.number().int().min(0).max(100).default(1),
    /** Tool ids this sub-agent needs; omitted means all tools of the swarm. */
    tools: z.array(z.string()).optional(),
  }),
);
export type ProposedSubtask = z.infer<typeof ProposedSubtaskSchema>;

export const DecompositionSchema = lazySchema(() =>
  z.object({
    subtasks: z.array(ProposedSubtaskSchema).min(1, "propose at least one subtask"),
  }),
);
export type Decomposition = z.infer<typeof DecompositionSchema>;

/** A subtask ready to run: unique id, resolved dependency ids and its stage (0-based). */
export interface Subtask {
  id: string;
  name: string;
  instruction: string;
  specialty?: string;
  dependencies: string[];
  priority: number;
  stage: number;
  tools?: string[];
}

import type { ChatRequest } from "@codetether/core";
import { firstUserText } from "@codetether/testing";

/** Whether a request is the orchestrator's decomposition call (recognised by its prompt). */
export const isDecomposition = (r: ChatRequest) => firstUserText(r).includes("orchestrator of a swarm");
/** Whether a request is the final synthesis call. */
export const isSynthesis = (r: ChatRequest) => firstUserText(r).includes("Sub-agents worked on parts");

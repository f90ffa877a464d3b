import type { Message } from "../messages.js";

/** A JSON Schema object, as sent to models for tool parameters. */
export type JsonSchema = { [key: string]: unknown };

/** A tool as the model sees it. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: JsonSchema;
}

/** One request to a model. System prompts are messages with role `system`. */
export interface ChatRequest {
  model: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: "auto" | "none" | "required";
  maxTokens?: number;
  temperature?: number;
  /** Vendor-specific options, passed through untouched by core. */
  providerOptions?: Record<string, unknown>;
}

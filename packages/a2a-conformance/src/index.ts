export { A2A_SCHEMA_PATH, type A2ASchemaValidator, createA2ASchemaValidator } from "./schema.js";
export { readSse, type SseEvent } from "./sse.js";
export { type ReceivedWebhook, startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";
export {
  A2AWireClient,
  type Wire,
  type WireClientOptions,
  type WireResponse,
  type WireStream,
} from "./wire-client.js";

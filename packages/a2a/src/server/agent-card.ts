import type { AgentCard, AgentSkill } from "@a2a-js/sdk";

export interface AgentCardOptions {
  /** Public base URL of the server, e.g. `http://127.0.0.1:4096` (no trailing slash). */
  baseUrl: string;
  name?: string;
  description?: string;
  version: string;
  /** Path of the JSON-RPC endpoint under baseUrl (default `/a2a`). */
  jsonRpcPath?: string;
  /** Path of the HTTP+JSON/REST binding under baseUrl (default `/a2a/rest`). */
  restPath?: string;
  /**
   * Address of the gRPC binding, `host:port` (spec §5.6: a gRPC interface URL is an authority, not an
   * http URL). Declared as a v1.0 `GRPC` interface; omitted when the server does not serve gRPC.
   */
  grpcUrl?: string;
  pushNotifications?: boolean;
  /** Advertise v0.3 interfaces too (served through the SDK's legacy compatibility layer). */
  legacyCompat?: boolean;
  skills?: AgentSkill[];
  /** The card's `defaultInputModes`: media types the executor takes (default {@link TEXT_INPUT_MODES}). */
  inputModes?: string[];
}

/** What an executor reading only text (and JSON data) takes, e.g. the TCK's agent under test. */
export const TEXT_INPUT_MODES = ["text/plain", "application/json"];

/**
 * What `CodetetherExecutor` takes (see `partsToContent`): text, JSON data, and images it hands to the model
 * as image content. Anything else is refused with ContentTypeNotSupportedError rather than guessed at.
 */
export const MODEL_INPUT_MODES = [
  "text/plain",
  "text/markdown",
  "application/json",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
];

export const BEARER_SCHEME_NAME = "bearer";

/** Where the public agent card is served (the v1.0 path and the v0.3 one); the only A2A paths without auth. */
export const PUBLIC_CARD_PATHS = ["/.well-known/agent-card.json", "/.well-known/agent.json"];

/** What decides the card an A2A service serves (a subset of `A2AServiceOptions`). */
export interface ServiceCardOptions {
  card: AgentCardOptions;
  push?: { enabled?: boolean };
  /** Serve v0.3 too (default true). */
  legacyCompat?: boolean;
}

function skill(
  id: string,
  name: string,
  description: string,
  tags: string[],
  examples: string[],
): AgentSkill {
  return {
    id,
    name,
    description,
    tags,
    examples,
    inputModes: ["text/plain"],
    outputModes: ["text/plain", "application/json"],
    securityRequirements: [],
  };
}

/** The skills codetether offers to other agents. */
export const DEFAULT_SKILLS: AgentSkill[] = [
  skill(
    "code-generation",
    "Code generation",
    "Writes new code and features in the workspace.",
    ["code", "generation"],
    ["Add a --verbose flag to the CLI"],
  ),
  skill(
    "code-review",
    "Code review",
    "Reviews changes and points out bugs, risks and style problems.",
    ["review"],
    ["Review the diff of the last commit"],
  ),
  skill(
    "debugging",
    "Debugging",
    "Finds and fixes the cause of failing tests or errors.",
    ["debug", "fix"],
    ["Why does `npm test` fail?"],
  ),
  skill(
    "refactoring",
    "Refactoring",
    "Restructures code without changing behaviour.",
    ["refactor"],
    ["Split src/server.ts into one file per route"],
  ),
  skill(
    "code-explanation",
    "Code explanation",
    "Explains how code works.",
    ["explain"],
    ["Explain how the agent loop retries failed model calls"],
  ),
];

/** The public agent card: interfaces actually served, skills, bearer security. */
export function buildAgentCard(options: AgentCardOptions): AgentCard {
  const base = options.baseUrl.replace(/\/+$/, "");
  const jsonRpc = `${base}${options.jsonRpcPath ?? "/a2a"}`;
  const rest = `${base}${options.restPath ?? "/a2a/rest"}`;
  const versions = options.legacyCompat === false ? ["1.0"] : ["1.0", "0.3"];
  const supportedInterfaces = versions.flatMap((protocolVersion) => [
    { url: jsonRpc, protocolBinding: "JSONRPC", tenant: "", protocolVersion },
    { url: rest, protocolBinding: "HTTP+JSON", tenant: "", protocolVersion },
    // Only the v1.0 gRPC service (lf.a2a.v1.A2AService) is served; v0.3's gRPC service is not.
    ...(options.grpcUrl && protocolVersion === "1.0"
      ? [{ url: options.grpcUrl, protocolBinding: "GRPC", tenant: "", protocolVersion }]
      : []),
  ]);
  return {
    name: options.name ?? "codetether",
    description:
      options.description ??
      "codetether: an A2A-native AI coding agent. It reads, writes and runs code in its workspace.",
    supportedInterfaces,
    provider: { organization: "CodeTether", url: "https://codetether.run" },
    version: options.version,
    capabilities: {
      streaming: true,
      pushNotifications: options.pushNotifications ?? true,
      extensions: [],
      extendedAgentCard: true,
    },
    securitySchemes: {
      [BEARER_SCHEME_NAME]: {
        scheme: {
          $case: "httpAuthSecurityScheme",
          value: {
            description: "Bearer token of the codetether server",
            scheme: "Bearer",
            bearerFormat: "opaque",
          },
        },
      },
    },
    securityRequirements: [{ schemes: { [BEARER_SCHEME_NAME]: { list: [] } } }],
    defaultInputModes: options.inputModes ?? TEXT_INPUT_MODES,
    defaultOutputModes: ["text/plain", "application/json"],
    skills: options.skills ?? DEFAULT_SKILLS,
    signatures: [],
  };
}

/**
 * The card `createA2AService` serves: `buildAgentCard` with the service's push and v0.3 capabilities.
 * Plain data (no SDK), so a server can build it at start-up and load the A2A stack on first use.
 */
export function buildServiceCard(options: ServiceCardOptions): AgentCard {
  return buildAgentCard({
    ...options.card,
    pushNotifications: options.push?.enabled !== false,
    legacyCompat: options.legacyCompat !== false,
  });
}

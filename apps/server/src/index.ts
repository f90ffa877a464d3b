export { conformanceServerOptions, LOOPBACK_WEBHOOK_HOSTS } from "./conformance-mode.js";
export { type CodetetherServer, createServer, SERVER_VERSION } from "./create-server.js";
export { serverOptionsFromEnv } from "./env-options.js";
export { examplePath, type HttpMethod, type RouteSpec } from "./route-table.js";
export { runServeCommand, type ServeCommandOptions } from "./serve-command.js";
export type { ExtraRouter, ServerOptions } from "./server-options.js";
export { type RunningServer, startServer } from "./start-server.js";

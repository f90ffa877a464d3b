export { type LocalServer, listenOnLoopback, readJsonObject, serveLocalHttp } from "./local-server.js";

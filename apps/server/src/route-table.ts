import type { RequestHandler } from "express";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One HTTP route of the server. `public` routes are the only ones served without the bearer token. */
export interface RouteSpec {
  method: HttpMethod;
  /** Express path pattern, e.g. `/v1/sessions/:id`. */
  path: string;
  /** A concrete path a test can call (placeholders filled in). */
  example?: string;
  public?: boolean;
  summary: string;
  handler?: RequestHandler;
}

/** Fills `:param` placeholders so a test can call every route. */
export function examplePath(route: RouteSpec): string {
  return route.example ?? route.path.replace(/:([A-Za-z_]+)/g, "example-$1");
}

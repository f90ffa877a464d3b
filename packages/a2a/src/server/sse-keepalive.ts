import type { NextFunction, Request, Response } from "express";

export interface SseTracker {
  /** Express middleware: adds `: keep-alive` comments to SSE responses and tracks them. */
  middleware: (req: Request, res: Response, next: NextFunction) => void;
  /** Number of open SSE responses. */
  readonly open: number;
  /** Ends every open SSE response cleanly (graceful shutdown). */
  closeAll(): void;
}

/**
 * Proxies kill idle SSE connections; a comment line every `intervalMs` keeps them open. Works on any
 * response whose Content-Type is `text/event-stream`, including the ones the A2A SDK writes.
 */
export function createSseTracker(intervalMs = 15_000): SseTracker {
  const open = new Set<Response>();
  const middleware = (_req: Request, res: Response, next: NextFunction) => {
    const originalWrite = res.write.bind(res) as (...args: unknown[]) => boolean;
    let started = false;
    const start = () => {
      if (started) return;
      const type = String(res.getHeader("content-type") ?? "");
      if (!type.startsWith("text/event-stream")) return;
      started = true;
      open.add(res);
      const timer = setInterval(() => {
        if (!res.writableEnded) originalWrite(": keep-alive\n\n");
      }, intervalMs);
      timer.unref();
      const stop = () => {
        clearInterval(timer);
        open.delete(res);
      };
      res.once("close", stop);
      res.once("finish", stop);
    };
    res.write = ((...args: unknown[]) => {
      start();
      return originalWrite(...args);
    }) as Response["write"];
    const originalFlush = res.flushHeaders.bind(res);
    res.flushHeaders = () => {
      originalFlush();
      start();
    };
    next();
  };
  return {
    middleware,
    get open() {
      return open.size;
    },
    closeAll() {
      for (const res of open) {
        if (!res.writableEnded) res.end();
      }
      open.clear();
    },
  };
}

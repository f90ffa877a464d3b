import { describe, expect, it } from "vitest";
import { readJsonObject, serveLocalHttp } from "../src/index.js";

async function* chunks(...parts: string[]) {
  for (const part of parts) yield Buffer.from(part);
}

describe("readJsonObject", () => {
  it("joins chunks, treats empty and non-object bodies as {}, and throws on invalid JSON", async () => {
    expect(await readJsonObject(chunks('{"a":', '{"b":1}}'))).toEqual({ a: { b: 1 } });
    expect(await readJsonObject(chunks())).toEqual({});
    expect(await readJsonObject(chunks("42"))).toEqual({});
    await expect(readJsonObject(chunks("{oops"))).rejects.toThrow(SyntaxError);
  });
});

describe("serveLocalHttp", () => {
  it("serves on 127.0.0.1 and answers a failing handler through onError", async () => {
    const server = await serveLocalHttp(
      async (req, res) => {
        if (req.url === "/boom") throw new Error("handler failed");
        res.end("ok");
      },
      (res, err) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`fake error: ${(err as Error).message}`);
      },
    );
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${server.url}/`)).text()).toBe("ok");
      const failed = await fetch(`${server.url}/boom`);
      expect(failed.status).toBe(500);
      expect(await failed.text()).toBe("fake error: handler failed");
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/`)).rejects.toThrow();
  });
});

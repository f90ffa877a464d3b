import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { collectStream, textMessage } from "@codetether/core";
import { buildTinyGguf } from "@codetether/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalProvider, type DownloadProgress } from "../src/index.js";
import { runLocalPullCommand } from "../src/local/local-pull-command.js";
import { captureIO } from "./capture-io.js";

/** A Hugging Face-shaped file host on 127.0.0.1: `/<user>/<repo>/resolve/main/<file>`. */
async function startFakeHub(
  files: Record<string, Buffer>,
): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    hits.push(`${req.method} ${url.pathname}`);
    const body = files[url.pathname];
    if (!body) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Entry not found");
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Number(range[2]) : body.length - 1;
    const slice = body.subarray(start, end + 1);
    res.writeHead(range ? 206 : 200, {
      "content-type": "application/octet-stream",
      "content-length": String(slice.length),
      "accept-ranges": "bytes",
      ...(range ? { "content-range": `bytes ${start}-${end}/${body.length}` } : {}),
    });
    if (req.method === "HEAD") res.end();
    else res.end(slice);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, hits, server };
}

describe("local provider: hf: download on first use", () => {
  let dir: string;
  let hub: Awaited<ReturnType<typeof startFakeHub>>;
  const model = buildTinyGguf({ seed: 9 }).bytes;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "local-download-"));
    hub = await startFakeHub({ "/tester/tiny-GGUF/resolve/main/tiny-q8.gguf": model });
  });
  afterAll(async () => {
    hub.server.closeAllConnections();
    await new Promise<void>((resolve) => hub.server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it("downloads into <dataDir>/models with progress, then answers; later runs need no network", async () => {
    const progress: DownloadProgress[] = [];
    const provider = createLocalProvider({
      huggingFaceEndpoint: hub.url,
      threads: 1,
      contextSize: 512,
      seed: 1,
      onDownloadProgress: (p) => progress.push(p),
      env: { CODETETHER_DATA_DIR: dir },
    });
    const uri = "hf:tester/tiny-GGUF/tiny-q8.gguf";
    try {
      const res = await collectStream(
        provider.stream({ model: uri, messages: [textMessage("user", "hi")], maxTokens: 4 }),
      );
      expect(res.usage.completionTokens).toBeGreaterThan(0);
      const file = await provider.resolveModelFile(uri);
      expect(path.dirname(file)).toBe(path.join(dir, "models"));
      expect((await readFile(file)).equals(model)).toBe(true);
      expect(progress.at(-1)).toMatchObject({ uri, downloadedBytes: model.length, totalBytes: model.length });
    } finally {
      await provider.dispose();
    }
    // Offline now: the downloaded file is found without asking the hub.
    const before = hub.hits.length;
    const offline = createLocalProvider({
      offline: true,
      huggingFaceEndpoint: hub.url,
      env: { CODETETHER_DATA_DIR: dir },
    });
    const again = await offline.resolveModelFile(uri);
    expect(path.dirname(again)).toBe(path.join(dir, "models"));
    expect(hub.hits.length).toBe(before);
  });

  it("explains a missing file on the hub", async () => {
    const provider = createLocalProvider({ huggingFaceEndpoint: hub.url, env: { CODETETHER_DATA_DIR: dir } });
    await expect(provider.resolveModelFile("hf:tester/tiny-GGUF/missing.gguf")).rejects.toThrow(
      /downloading model "hf:tester\/tiny-GGUF\/missing.gguf" failed.*CODETETHER_LOCAL_MODEL/s,
    );
  });

  it("pull command: downloads with progress lines and prints the file; exit 1 with instructions when offline", async () => {
    const pullDir = await mkdtemp(path.join(os.tmpdir(), "local-pull-"));
    try {
      const ok = captureIO();
      const code = await runLocalPullCommand(
        {
          model: "hf:tester/tiny-GGUF/tiny-q8.gguf",
          env: { CODETETHER_DATA_DIR: pullDir },
          provider: { huggingFaceEndpoint: hub.url },
          tty: false,
        },
        ok.io,
      );
      expect(code).toBe(0);
      expect(ok.out.stdout.trim().startsWith(path.join(pullDir, "models"))).toBe(true);
      expect(ok.out.stderr).toContain("downloading hf:tester/tiny-GGUF/tiny-q8.gguf: 100%");

      const bad = captureIO();
      const failed = await runLocalPullCommand(
        {
          model: "hf:tester/other/x.gguf",
          env: { CODETETHER_DATA_DIR: pullDir, CODETETHER_OFFLINE: "1" },
          tty: false,
        },
        bad.io,
      );
      expect(failed).toBe(1);
      expect(bad.out.stdout).toBe("");
      expect(bad.out.stderr).toMatch(
        /^codetether models --pull: local: model "hf:tester\/other\/x.gguf" is not downloaded/,
      );
    } finally {
      await rm(pullDir, { recursive: true, force: true });
    }
  });
});

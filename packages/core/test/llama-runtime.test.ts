import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  installLlamaRuntime,
  LLAMA_CPP_VERSION,
  LLAMA_RUNTIME_INTEGRITY,
  LlamaRuntimeInstallError,
  LlamaRuntimeMissingError,
  LlamaRuntimePlanError,
  llamaRuntimeDir,
  llamaRuntimePlan,
  loadNodeLlamaCpp,
} from "../src/index.js";
import { sweepAbandoned } from "../src/model-file/llama-runtime-install.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

const notFound = () =>
  Object.assign(new Error("Cannot find package 'node-llama-cpp'"), { code: "ERR_MODULE_NOT_FOUND" });

describe("the llama.cpp runtime plan", () => {
  it("pins the version and the tarball integrity the workspace lockfile resolved", async () => {
    const cli = JSON.parse(await fs.readFile(path.join(ROOT, "apps/cli/package.json"), "utf8"));
    expect(cli.peerDependencies["node-llama-cpp"]).toBe(LLAMA_CPP_VERSION);
    const lock = await fs.readFile(path.join(ROOT, "pnpm-lock.yaml"), "utf8");
    for (const [name, integrity] of Object.entries(LLAMA_RUNTIME_INTEGRITY)) {
      const key = name.startsWith("@") ? `'${name}@${LLAMA_CPP_VERSION}'` : `${name}@${LLAMA_CPP_VERSION}`;
      expect(lock, name).toContain(`  ${key}:\n    resolution: {integrity: ${integrity}}`);
    }
  });

  it("is node-llama-cpp plus the CPU build of this platform; a GPU build only when asked for or detected", () => {
    const cpu = llamaRuntimePlan({ platform: "linux", arch: "x64", gpu: "cpu" });
    expect(cpu.packages.map((p) => p.name)).toEqual(["node-llama-cpp", "@node-llama-cpp/linux-x64"]);
    expect(cpu.packages.every((p) => p.version === LLAMA_CPP_VERSION && p.integrity)).toBe(true);
    expect(cpu.gpu).toEqual([]);
    // No NVIDIA driver (empty PATH, no /proc entry on the CI machine): CPU only.
    expect(llamaRuntimePlan({ platform: "darwin", arch: "arm64", env: { PATH: "" } }).packages[1]?.name).toBe(
      "@node-llama-cpp/mac-arm64-metal",
    );
    const cuda = llamaRuntimePlan({ platform: "linux", arch: "x64", gpu: "cuda" });
    expect(cuda.packages.map((p) => p.name)).toContain("@node-llama-cpp/linux-x64-cuda");
    expect(cuda).toMatchObject({ gpu: ["cuda"], gpuReason: "asked" });
    expect(llamaRuntimePlan({ platform: "win32", arch: "x64", gpu: "vulkan" }).packages[2]?.name).toBe(
      "@node-llama-cpp/win-x64-vulkan",
    );
    expect(() => llamaRuntimePlan({ platform: "linux", arch: "x64", gpu: "quantum" })).toThrow(
      LlamaRuntimePlanError,
    );
    expect(() => llamaRuntimePlan({ platform: "darwin", arch: "arm64", gpu: "cuda" })).toThrow(
      /no cuda build/,
    );
    expect(() => llamaRuntimePlan({ platform: "aix", arch: "ppc64" })).toThrow(/no prebuilt binary/);
  });
});

describe("loading node-llama-cpp", () => {
  it("prefers the copy beside the caller, falls back to the data dir, and says where it looked when neither has it", async () => {
    const data = await fs.mkdtemp(path.join(os.tmpdir(), "ct-llama-"));
    const env = { CODETETHER_DATA_DIR: data };
    const beside = await loadNodeLlamaCpp(async () => ({ from: "beside" }), env);
    expect(beside).toMatchObject({ source: "beside", sdk: { from: "beside" } });

    const missing = loadNodeLlamaCpp(async () => Promise.reject(notFound()), env);
    await expect(missing).rejects.toBeInstanceOf(LlamaRuntimeMissingError);
    await expect(missing).rejects.toThrow(llamaRuntimeDir(env));

    // Any other load failure (a broken native binary) is not hidden behind the fallback.
    await expect(loadNodeLlamaCpp(async () => Promise.reject(new Error("bad ELF")), env)).rejects.toThrow(
      "bad ELF",
    );

    const pkg = path.join(llamaRuntimeDir(env), "node_modules", "node-llama-cpp");
    await fs.mkdir(path.join(pkg, "dist"), { recursive: true });
    await fs.writeFile(
      path.join(pkg, "package.json"),
      JSON.stringify({
        name: "node-llama-cpp",
        type: "module",
        exports: { ".": { import: "./dist/index.js" } },
      }),
    );
    await fs.writeFile(path.join(pkg, "dist/index.js"), 'export const from = "data-dir";\n');
    await fs.writeFile(
      path.join(llamaRuntimeDir(env), "codetether-runtime.json"),
      JSON.stringify({ gpu: ["cuda"] }),
    );
    const fromData = await loadNodeLlamaCpp<{ from: string }>(async () => Promise.reject(notFound()), env);
    expect(fromData.source).toBe("data-dir");
    expect(fromData.sdk.from).toBe("data-dir");
    expect(fromData.gpu).toEqual(["cuda"]);
  });
});

describe("installing the runtime", () => {
  async function fakeRegistry(integrity: (name: string) => string): Promise<string> {
    const server = http.createServer((req, res) => {
      // npm asks for the packument: /node-llama-cpp, /@node-llama-cpp%2flinux-x64.
      const name = decodeURIComponent((req.url ?? "").slice(1).split("?")[0] ?? "");
      const version = {
        name,
        version: LLAMA_CPP_VERSION,
        dist: { integrity: integrity(name), tarball: "http://x/t.tgz" },
      };
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          name,
          "dist-tags": { latest: LLAMA_CPP_VERSION },
          versions: { [LLAMA_CPP_VERSION]: version },
        }),
      );
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  }

  it("refuses a registry that serves other tarballs than the pinned ones, before installing anything", async () => {
    const data = await fs.mkdtemp(path.join(os.tmpdir(), "ct-llama-"));
    const registry = await fakeRegistry((name) =>
      name === "node-llama-cpp" ? "sha512-AAAA" : (LLAMA_RUNTIME_INTEGRITY[name] ?? ""),
    );
    const env = {
      ...process.env,
      CODETETHER_DATA_DIR: data,
      npm_config_registry: registry,
      npm_config_cache: path.join(data, "..", `npm-cache-${path.basename(data)}`),
    };
    const plan = llamaRuntimePlan({ platform: "linux", arch: "x64", gpu: "cpu" });
    const install = installLlamaRuntime({ plan, env });
    await expect(install).rejects.toBeInstanceOf(LlamaRuntimeInstallError);
    await expect(install).rejects.toThrow(/sha512-AAAA.*refusing to install/);
    expect(await fs.readdir(data)).toEqual([]);
  });

  it("fails fast when the registry does not answer, naming the command to run by hand", async () => {
    const data = await fs.mkdtemp(path.join(os.tmpdir(), "ct-llama-"));
    // Accepts connections, never answers.
    const server = http.createServer(() => {});
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const registry = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const env = { ...process.env, CODETETHER_DATA_DIR: data, npm_config_registry: registry };
    const plan = llamaRuntimePlan({ platform: "linux", arch: "x64", gpu: "cpu" });
    const install = installLlamaRuntime({ plan, env, connectTimeoutMs: 500 });
    await expect(install).rejects.toThrow(/cannot reach the npm registry.*npm install --omit=optional/s);
    server.closeAllConnections();
  });
});

describe("abandoned installs", () => {
  it("removes the staging prefixes of installs whose process is gone, never a live one's or the runtime", async () => {
    const data = await fs.mkdtemp(path.join(os.tmpdir(), "ct-llama-"));
    const dir = llamaRuntimeDir({ CODETETHER_DATA_DIR: data });
    // A pid that existed and has exited: a child that ran `true`.
    const { spawnSync } = await import("node:child_process");
    const dead = spawnSync("true").pid;
    const names = [
      `${path.basename(dir)}.tmp-${dead}-ab12cd34`,
      `${path.basename(dir)}.old-${dead}-0011aabb`,
    ];
    const live = `${path.basename(dir)}.tmp-${process.ppid}-ffee0011`;
    await fs.mkdir(dir, { recursive: true });
    for (const n of [...names, live])
      await fs.mkdir(path.join(path.dirname(dir), n, "node_modules"), { recursive: true });
    expect((await sweepAbandoned(dir)).sort()).toEqual(names.sort());
    expect((await fs.readdir(path.dirname(dir))).sort()).toEqual([path.basename(dir), live].sort());
  });
});

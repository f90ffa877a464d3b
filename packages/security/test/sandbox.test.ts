import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSandbox, probeSandboxCapabilities, type Sandbox } from "../src/index.js";
import { findExecutable } from "../src/sandbox/sandbox-capabilities.js";
import { tempDir } from "./helpers.js";

const caps = probeSandboxCapabilities();
const full = Boolean(caps.bwrap && caps.prlimit && caps.networkNamespaces);
// Never run a fork bomb unless the process limit is really enforced here (as root only a pids cgroup binds).
const processLimit = full && (!caps.root || Boolean(caps.pidsCgroup));
if (!full)
  console.warn(
    `sandbox tests skipped: this machine lacks bubblewrap/prlimit/netns (${JSON.stringify(caps)})`,
  );

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Most processes seen at once below the spawned process. */
  peakDescendants: number;
}

/** Runs a sandboxed command under an outer `timeout -s KILL` so nothing can outlive the test. */
async function run(
  sandbox: Sandbox,
  command: string,
  cwd: string,
  env = process.env,
  timeoutS = 20,
): Promise<Run> {
  const wrapped = sandbox.wrap(command, { cwd, env });
  const child = spawn("timeout", ["-s", "KILL", String(timeoutS), wrapped.file, ...wrapped.args], {
    cwd: wrapped.cwd,
    env: wrapped.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let peakDescendants = 0;
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const sampler = setInterval(() => {
    peakDescendants = Math.max(peakDescendants, countDescendants(child.pid!));
  }, 50);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on("close", (c, s) => resolve([c, s])),
  );
  clearInterval(sampler);
  wrapped.dispose();
  return { code, signal, stdout, stderr, peakDescendants };
}

function countDescendants(root: number): number {
  const parents = new Map<number, number>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited
    }
  }
  let count = 0;
  for (const pid of parents.keys()) {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) {
      if (p === root) {
        count++;
        break;
      }
    }
  }
  return count;
}

describe.runIf(full)("createSandbox (OS-enforced)", () => {
  it("reports active limits", () => {
    const sandbox = createSandbox({
      max_memory: "256M",
      max_cpu_seconds: 5,
      network: "deny",
      writable_paths: ["/"],
    });
    expect(sandbox.activeLimits.join("\n")).toMatch(/max_memory=268435456 bytes.*prlimit/);
    expect(sandbox.activeLimits.join("\n")).toMatch(/network denied/);
    expect(sandbox.warnings).toEqual([]);
  });

  it.runIf(findExecutable("bash"))(
    "cannot connect to a listener on 127.0.0.1 when network is denied (but can when allowed)",
    async () => {
      const server = net.createServer((socket) => socket.end("hello\n"));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as net.AddressInfo).port;
      const probe = `exec 3<>/dev/tcp/127.0.0.1/${port} && head -n1 <&3`;
      const cwd = tempDir();
      const denied = await run(createSandbox({ network: "deny" }), `bash -c '${probe}'`, cwd);
      const allowed = await run(createSandbox({ network: "allow" }), `bash -c '${probe}'`, cwd);
      server.close();
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toMatch(/Connection refused|Network is unreachable/);
      expect(allowed.stdout).toBe("hello\n");
    },
  );

  it.runIf(findExecutable("python3"))("cannot allocate past its memory limit", async () => {
    const sandbox = createSandbox({ max_memory: "128M" });
    const code =
      "import sys\ntry:\n  b = bytearray(512*1024*1024)\n  print('allocated')\nexcept MemoryError:\n  print('MemoryError')";
    const res = await run(sandbox, `python3 -c "${code}"`, tempDir());
    expect(res.stdout.trim()).toBe("MemoryError");
    const small = await run(sandbox, `python3 -c "b = bytearray(16*1024*1024); print(len(b))"`, tempDir());
    expect(small.stdout.trim()).toBe(String(16 * 1024 * 1024));
  });

  it("is killed at its CPU limit", async () => {
    const res = await run(
      createSandbox({ max_cpu_seconds: 1 }),
      "while :; do :; done",
      tempDir(),
      process.env,
      30,
    );
    // SIGXCPU (soft limit) or SIGKILL (hard limit): bwrap reports 128+signal; never the outer timeout.
    expect([128 + 24, 128 + 9]).toContain(res.code);
    expect(res.signal).toBeNull();
  });

  it("cannot write outside its writable paths; /tmp is private", async () => {
    const root = tempDir();
    const allowed = path.join(root, "work");
    const outside = path.join(root, "outside");
    fs.mkdirSync(allowed);
    fs.mkdirSync(outside);
    const sandbox = createSandbox({ writable_paths: [allowed] });
    const res = await run(
      sandbox,
      `echo ok > ${allowed}/a.txt; echo bad > ${outside}/b.txt; echo bad > $HOME/.ct-sandbox-probe; echo bad > /var/ct-sandbox-probe; echo t > /tmp/ct-private-probe; ls /tmp`,
      allowed,
    );
    expect(fs.readFileSync(path.join(allowed, "a.txt"), "utf8")).toBe("ok\n");
    expect(fs.existsSync(path.join(outside, "b.txt"))).toBe(false);
    expect(fs.existsSync(path.join(process.env.HOME ?? "/root", ".ct-sandbox-probe"))).toBe(false);
    expect(fs.existsSync("/tmp/ct-private-probe")).toBe(false);
    expect(fs.existsSync("/var/ct-sandbox-probe")).toBe(false);
    // The root filesystem is read-only ($HOME is a private tmpfs: writes there vanish with the sandbox).
    expect(res.stderr).toMatch(/Read-only file system/);
    // Symlink escape: a link inside the writable dir pointing outside stays read-only.
    fs.symlinkSync(outside, path.join(allowed, "link"));
    await run(sandbox, "echo bad > link/c.txt", allowed);
    expect(fs.existsSync(path.join(outside, "c.txt"))).toBe(false);
    // Remounting the root read-write is refused (no capabilities).
    const remount = await run(sandbox, "mount -o remount,rw / && echo remounted", allowed);
    expect(remount.stdout).not.toContain("remounted");
  });

  it("limits file size", async () => {
    const dir = tempDir();
    const res = await run(
      createSandbox({ max_file_size: "1M", writable_paths: [dir] }),
      "head -c 4000000 /dev/zero > big",
      dir,
    );
    expect(res.code).not.toBe(0);
    expect(fs.statSync(path.join(dir, "big")).size).toBeLessThanOrEqual(1024 * 1024);
  });

  it("clears the environment to an allow-list", async () => {
    const env = { ...process.env, OPENAI_API_KEY: "sk-test-should-not-leak", LC_ALL: "C", MY_VAR: "x" };
    const res = await run(createSandbox({}, { envAllow: ["MY_VAR"] }), "env", tempDir(), env);
    expect(res.stdout).not.toContain("sk-test-should-not-leak");
    expect(res.stdout).toMatch(/^PATH=/m);
    expect(res.stdout).toMatch(/^LC_ALL=C$/m);
    expect(res.stdout).toMatch(/^MY_VAR=x$/m);
  });

  it.runIf(processLimit)("bounds the number of processes", async () => {
    const script = "i=0; while [ $i -lt 30 ]; do sleep 2 & echo started; i=$((i+1)); done; wait";
    const res = await run(createSandbox({ max_processes: 12 }), script, tempDir());
    const started = res.stdout.split("\n").filter(Boolean).length;
    expect(res.stderr).toMatch(/Cannot fork|Resource temporarily unavailable/i);
    expect(started).toBeGreaterThan(0);
    expect(started).toBeLessThan(12);
    // Without the limit all 30 start (the control proves the limit, not the script, stops them).
    const control = await run(createSandbox({}), script.replace("sleep 2", "sleep 0.2"), tempDir());
    expect(control.stdout.split("\n").filter(Boolean)).toHaveLength(30);
  });

  it.runIf(processLimit)("contains a fork bomb (bounded by max_processes, ended by timeout)", async () => {
    const sandbox = createSandbox({ max_processes: 16, max_cpu_seconds: 5, max_memory: "256M" });
    expect(sandbox.activeLimits.join("\n")).toMatch(/max_processes=16/);
    const res = await run(sandbox, "bomb() { bomb | bomb & }; bomb; sleep 4", tempDir(), process.env, 6);
    expect(res.stderr).toMatch(/Cannot fork|Resource temporarily unavailable/i);
    expect(res.peakDescendants).toBeLessThanOrEqual(16 + 4);
  });
});

describe("createSandbox reporting", () => {
  it("never silently drops a limit: missing tools become warnings", () => {
    const sandbox = createSandbox(
      { max_memory: "1G", max_processes: 10, network: "deny", writable_paths: ["/nonexistent-ct"] },
      { capabilities: { bwrap: undefined, prlimit: undefined, bwrapError: "bwrap not found", root: false } },
    );
    const warnings = sandbox.warnings.join("\n");
    expect(warnings).toMatch(/max_memory=1073741824 bytes NOT enforced/);
    expect(warnings).toMatch(/max_processes NOT enforced/);
    expect(warnings).toMatch(/network NOT denied/);
    expect(warnings).toMatch(/writable_paths NOT enforced/);
    expect(warnings).toMatch(/\/nonexistent-ct does not exist/);
  });

  it("fails closed for network allow-lists", () => {
    const sandbox = createSandbox({ network: "allow", network_allow: ["api.example.com"] });
    expect(sandbox.warnings.join("\n")).toMatch(/failing closed/);
    if (full) expect(sandbox.activeLimits.join("\n")).toMatch(/network denied/);
  });

  it("rejects bad policies with the field name", () => {
    expect(() => createSandbox({ max_memory: "lots" })).toThrow(/max_memory: "lots" is not a size/);
    expect(() => createSandbox({ max_cpu_seconds: -1 })).toThrow(/max_cpu_seconds/);
  });
});

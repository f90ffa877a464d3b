import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { onProcessExit } from "@codetether/core";

/**
 * A classic-BPF seccomp program for bubblewrap's `--seccomp FD`: `socket(AF_UNIX, …)` fails with EPERM (a network
 * namespace cuts TCP/UDP and abstract sockets, but not filesystem sockets such as /var/run/docker.sock), and
 * `io_uring_setup` fails with ENOSYS (io_uring can open sockets without the `socket` syscall). `socketpair` stays
 * allowed: it cannot reach anything outside. Syscalls of another ABI (i386 `int 0x80`, x32) are refused
 * outright, since their numbers differ and `socketcall` would slip through.
 */

/** Architecture id (`AUDIT_ARCH_*`) and the numbers of the syscalls we filter, per Node `process.arch`. */
const ARCHES: Record<string, { audit: number; socket: number; ioUringSetup: number; x32Bit: boolean }> = {
  x64: { audit: 0xc000003e, socket: 41, ioUringSetup: 425, x32Bit: true },
  arm64: { audit: 0xc00000b7, socket: 198, ioUringSetup: 425, x32Bit: false },
};

const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const retErrno = (errno: number) => 0x00050000 | errno;
const EPERM = 1;
const ENOSYS = 38;
const AF_UNIX = 1;
// struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6] (little-endian low word first).
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
const OFFSET_ARG0 = 16;

type Insn = [code: number, jt: number, jf: number, k: number];

/** The filter for `arch`, or undefined when we do not know its syscall numbers. */
export function unixSocketFilter(arch: string = process.arch): Buffer | undefined {
  const a = ARCHES[arch];
  if (!a || os.endianness() !== "LE") return undefined;
  const p: Insn[] = [
    [BPF_LD_W_ABS, 0, 0, OFFSET_ARCH],
    [BPF_JEQ_K, 1, 0, a.audit],
    [BPF_RET_K, 0, 0, retErrno(ENOSYS)],
    [BPF_LD_W_ABS, 0, 0, OFFSET_NR],
  ];
  if (a.x32Bit) p.push([BPF_JGE_K, 0, 1, 0x40000000], [BPF_RET_K, 0, 0, retErrno(ENOSYS)]);
  p.push(
    [BPF_JEQ_K, 0, 1, a.ioUringSetup],
    [BPF_RET_K, 0, 0, retErrno(ENOSYS)],
    [BPF_JEQ_K, 0, 3, a.socket],
    [BPF_LD_W_ABS, 0, 0, OFFSET_ARG0],
    [BPF_JEQ_K, 0, 1, AF_UNIX],
    [BPF_RET_K, 0, 0, retErrno(EPERM)],
    [BPF_RET_K, 0, 0, RET_ALLOW],
  );
  const out = Buffer.alloc(p.length * 8);
  p.forEach(([code, jt, jf, k], i) => {
    out.writeUInt16LE(code, i * 8);
    out.writeUInt8(jt, i * 8 + 2);
    out.writeUInt8(jf, i * 8 + 3);
    out.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return out;
}

let written: string | undefined;

/**
 * Writes the filter once per process into a fresh 0700 directory (bwrap reads it from a file descriptor the
 * launching shell opens, so nobody else may be able to swap it). Undefined when this architecture is unknown.
 */
export function unixSocketFilterFile(): string | undefined {
  if (written && fs.existsSync(written)) return written;
  const filter = unixSocketFilter();
  if (!filter) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "codetether-seccomp-"));
  const file = path.join(dir, "deny-unix-sockets.bpf");
  fs.writeFileSync(file, filter, { mode: 0o400, flag: "wx" });
  written = file;
  onProcessExit(() => fs.rmSync(dir, { recursive: true, force: true }));
  return file;
}

/** `sh -c` prefix that opens the filter on fd 9 for `bwrap --seccomp 9`, then execs the rest of the command. */
export function withSeccompFdArgs(filterFile: string): string[] {
  return ["/bin/sh", "-c", 'exec "$@" 9<"$0"', filterFile];
}

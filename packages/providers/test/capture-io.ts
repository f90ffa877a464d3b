/** An `io` (stdout/stderr writers) for a command under test, and `out`, what it wrote to each. */
export function captureIO() {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
    },
  };
}

/** Heuristic used by git and ripgrep: a NUL byte in the first 8 KiB, or mostly non-text bytes. */
export function isBinary(data: Uint8Array): boolean {
  const sample = data.subarray(0, 8192);
  if (sample.length === 0) return false;
  let suspicious = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 7 || (byte > 13 && byte < 32)) suspicious++;
  }
  return suspicious / sample.length > 0.3;
}

/** Keeps the first `maxBytes` of `text` (on a character boundary) and says what was cut. */
export function capOutput(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return { text, truncated: false };
  const head = Buffer.from(text)
    .subarray(0, maxBytes)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  return {
    text: `${head}\n\n[output truncated: showed ${maxBytes} of ${bytes} bytes. Narrow the command or pipe through head/tail/grep.]`,
    truncated: true,
  };
}

/** Splits file content into lines, without a phantom last line after a trailing newline. */
export function splitLines(content: string): string[] {
  const lines = content.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

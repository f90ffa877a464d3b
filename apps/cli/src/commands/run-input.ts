import readline from "node:readline";
import { type ContentPart, parseStreamInputLine, StreamInputError } from "@codetether/core";
import { CliError, ExitCode } from "../exit-codes.js";

/** Reads files into content parts (`run --file`, a stream-json line's `files`). */
export type Attach = (files: readonly string[]) => Promise<ContentPart[]>;

/** One turn to run, or a line that could not become one (reported, then skipped). */
export type RunInput = { parts: ContentPart[] } | { invalid: string };

/** `--file` loader: `AttachmentError`s become usage errors (exit 2) naming the file. */
export function attacher(cwd: string, images: boolean | undefined, modelName: string): Attach {
  return async (files) => {
    if (files.length === 0) return [];
    const { readAttachments, AttachmentError } = await import("@codetether/tools");
    try {
      return await readAttachments(files, { cwd, ...(images !== undefined ? { images } : {}), modelName });
    } catch (err) {
      if (err instanceof AttachmentError) throw new CliError(err.message, ExitCode.Usage);
      throw err;
    }
  };
}

/** `--input-format stream-json`: one user turn per NDJSON line of stdin, until EOF. */
export async function* streamJsonInputs(
  stdin: NodeJS.ReadableStream,
  attach: Attach,
  signal: AbortSignal,
): AsyncGenerator<RunInput> {
  const lines = readline.createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY });
  // Ctrl+C while waiting for the next line ends the input like EOF would.
  const stop = () => lines.close();
  signal.addEventListener("abort", stop, { once: true });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    try {
      const turn = parseStreamInputLine(line, lineNo);
      if (!turn) continue;
      yield { parts: [...turn.parts, ...(await attach(turn.files))] };
    } catch (err) {
      if (err instanceof StreamInputError) yield { invalid: err.message };
      else if (err instanceof CliError) yield { invalid: `stdin line ${lineNo}: ${err.message}` };
      else throw err;
    }
  }
  signal.removeEventListener("abort", stop);
}

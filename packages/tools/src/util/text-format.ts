/** How a text file is laid out on disk, so a tool's change keeps it that way. */
export interface TextFormat {
  /** Starts with a UTF-8 byte order mark. */
  bom: boolean;
  /** Line ending; "mixed" files are left exactly as they are apart from the change. */
  eol: "\n" | "\r\n" | "mixed";
  /** Ends with a newline; undefined for an empty file (no convention to keep). */
  finalNewline: boolean | undefined;
}

const BOM = "\uFEFF";

/** Splits file text into the format and the text tools work on: no BOM, LF line endings (unless mixed). */
export function decodeText(raw: string): { text: string; format: TextFormat } {
  const bom = raw.startsWith(BOM);
  const body = bom ? raw.slice(1) : raw;
  const crlf = body.match(/\r\n/g)?.length ?? 0;
  const lf = (body.match(/\n/g)?.length ?? 0) - crlf;
  const eol = crlf && lf ? "mixed" : crlf ? "\r\n" : "\n";
  const format: TextFormat = { bom, eol, finalNewline: body === "" ? undefined : body.endsWith("\n") };
  return { text: eol === "\r\n" ? body.replace(/\r\n/g, "\n") : body, format };
}

/** Text from the model (oldString, newString, content) in the working form of a file of `format`. */
export function toWorkingText(text: string, format: TextFormat): string {
  return format.eol === "mixed" ? text : text.replace(/\r\n/g, "\n");
}

/**
 * The text to write for working `text` in a file of `format`: its line ending, its BOM and a missing final
 * newline are kept, whatever line endings the model sent.
 */
export function encodeText(text: string, format: TextFormat): string {
  let out = toWorkingText(text, format);
  // A file without a final newline keeps lacking one (models end everything with "\n"); one that has it is
  // left as the change makes it, so an explicit removal still works.
  if (format.finalNewline === false) out = out.replace(/\r?\n$/, "");
  if (format.eol === "\r\n") out = out.replace(/\n/g, "\r\n");
  if (format.bom && !out.startsWith(BOM)) out = BOM + out;
  return out;
}

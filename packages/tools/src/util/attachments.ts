import fs from "node:fs/promises";
import path from "node:path";
import type { FilePart, ImagePart } from "@codetether/core";
import { sniffImageMime } from "./mime-sniff.js";

/** Image types every vision provider accepts inline (OpenAI, Anthropic, Gemini, Bedrock). */
const SENDABLE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
const MAX_TEXT_BYTES = 512 * 1024;
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** A file that cannot be attached; `message` names the file and what to do. */
export class AttachmentError extends Error {}

export interface AttachmentOptions {
  cwd: string;
  /** False when the model is known not to accept images: an image is then refused with a clear message. */
  images?: boolean;
  /** Shown in the "does not accept images" message. */
  modelName?: string;
}

function looksBinary(data: Buffer): boolean {
  const head = data.subarray(0, 8192);
  if (head.includes(0)) return true;
  // Invalid UTF-8 in the head (TextDecoder fatal) means it is not a text file we can quote.
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return false;
  } catch {
    return true;
  }
}

/**
 * Reads files the user attaches to a prompt (`run --file`): text files become `file` parts with their content,
 * PNG/JPEG/GIF/WebP images become `image` parts (base64). The type is sniffed from the bytes, never the name.
 */
export async function readAttachment(
  file: string,
  options: AttachmentOptions,
): Promise<FilePart | ImagePart> {
  const abs = path.resolve(options.cwd, file);
  let data: Buffer;
  try {
    const stat = await fs.stat(abs);
    if (!stat.isFile()) throw new AttachmentError(`--file ${file}: not a regular file (${abs}).`);
    if (stat.size > MAX_IMAGE_BYTES)
      throw new AttachmentError(
        `--file ${file}: ${stat.size} bytes is over the 20 MiB limit for attachments.`,
      );
    data = await fs.readFile(abs);
  } catch (err) {
    if (err instanceof AttachmentError) throw err;
    throw new AttachmentError(
      `--file ${file}: cannot read ${abs} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
    );
  }
  const mime = sniffImageMime(data);
  if (mime && mime !== "image/svg+xml") {
    if (!SENDABLE_IMAGES.has(mime))
      throw new AttachmentError(
        `--file ${file}: ${mime} images cannot be sent to models; convert it to PNG or JPEG.`,
      );
    if (options.images === false)
      throw new AttachmentError(
        `--file ${file}: ${options.modelName ?? "this model"} does not accept images; pick a vision model with -m.`,
      );
    return { type: "image", mimeType: mime, data: data.toString("base64") };
  }
  if (looksBinary(data))
    throw new AttachmentError(`--file ${file}: binary file; attach text files or PNG/JPEG/GIF/WebP images.`);
  if (data.length > MAX_TEXT_BYTES)
    throw new AttachmentError(
      `--file ${file}: ${data.length} bytes of text is over the ${MAX_TEXT_BYTES / 1024} KiB limit; let the agent read it with its tools instead.`,
    );
  return { type: "file", path: file, ...(mime ? { mimeType: mime } : {}), data: data.toString("utf8") };
}

/** Every attachment in order; the first unreadable one throws. */
export async function readAttachments(
  files: readonly string[],
  options: AttachmentOptions,
): Promise<Array<FilePart | ImagePart>> {
  const out: Array<FilePart | ImagePart> = [];
  for (const file of files) out.push(await readAttachment(file, options));
  return out;
}

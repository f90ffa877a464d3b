import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AttachmentError, readAttachment, readAttachments } from "../src/index.js";

// 1×1 transparent PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "ct-attach-"));
  await fs.writeFile(path.join(dir, "notes.md"), "# notes\nhello\n");
  await fs.writeFile(path.join(dir, "pixel.dat"), PNG);
  await fs.writeFile(path.join(dir, "blob.bin"), Buffer.from([1, 2, 0, 3, 255, 254]));
  await fs.writeFile(path.join(dir, "icon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>');
});

describe("readAttachments (run --file)", () => {
  it("reads text as a file part and sniffs images from bytes, not the name", async () => {
    const parts = await readAttachments(["notes.md", "pixel.dat", "icon.svg"], { cwd: dir });
    expect(parts[0]).toEqual({ type: "file", path: "notes.md", data: "# notes\nhello\n" });
    expect(parts[1]).toEqual({ type: "image", mimeType: "image/png", data: PNG.toString("base64") });
    // SVG is text a model reads as markup, not an image providers accept.
    expect(parts[2]).toMatchObject({ type: "file", path: "icon.svg", mimeType: "image/svg+xml" });
  });

  it("refuses binaries, missing files and images for a text-only model with an actionable message", async () => {
    await expect(readAttachment("blob.bin", { cwd: dir })).rejects.toThrow(/--file blob\.bin: binary file/);
    await expect(readAttachment("nope.txt", { cwd: dir })).rejects.toThrow(
      /--file nope\.txt: cannot read .*ENOENT/,
    );
    await expect(readAttachment(".", { cwd: dir })).rejects.toThrow(AttachmentError);
    await expect(
      readAttachment("pixel.dat", { cwd: dir, images: false, modelName: "moonshotai/kimi-k2" }),
    ).rejects.toThrow("moonshotai/kimi-k2 does not accept images; pick a vision model with -m");
  });
});

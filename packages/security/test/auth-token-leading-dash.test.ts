// A generated bearer token is passed on command lines (`codetether a2a send --token <t>`), where commander reads a
// leading `-v` as the version flag: the send printed the version, exited 0 and sent nothing (a serve e2e case failed
// that way in a fresh-clone CI run, for the 1 generated token in 4,096 that starts with `-v`).
import { expect, it } from "vitest";
import { generateAuthToken } from "../src/index.js";

/** Random bytes whose base64url starts with `-` (a first byte of 0xF8-0xFB), then ordinary ones. */
function dashFirst(): (size: number) => Buffer {
  let calls = 0;
  return (size) => {
    calls++;
    const bytes = Buffer.alloc(size, calls);
    if (calls <= 2) bytes[0] = 0xf8;
    return bytes;
  };
}

it("a 256-bit base64url token that never starts with a dash", () => {
  const token = generateAuthToken(dashFirst());
  expect(token.startsWith("-")).toBe(false);
  expect(Buffer.from(token, "base64url")).toHaveLength(32);
  expect(Buffer.alloc(1, 0xf8).toString("base64url").startsWith("-")).toBe(true); // the fixture means it
  for (let i = 0; i < 2000; i++) expect(generateAuthToken().startsWith("-")).toBe(false);
});

import type { Part, SendMessageRequest } from "@a2a-js/sdk";
import { describe, expect, it } from "vitest";
import { assertAcceptedParts, partMediaType } from "../src/index.js";

const part = (content: Part["content"], mediaType = ""): Part => ({
  content,
  mediaType,
  filename: "",
  metadata: undefined,
});
const request = (...parts: Part[]) => ({ message: { parts } }) as unknown as SendMessageRequest;

describe("input mode guard", () => {
  it("derives a part's media type (declared, parameters stripped, or implied by the part kind)", () => {
    expect(partMediaType(part({ $case: "text", value: "x" }))).toBe("text/plain");
    expect(partMediaType(part({ $case: "data", value: {} }))).toBe("application/json");
    expect(partMediaType(part({ $case: "text", value: "x" }, "Text/Plain; charset=utf-8"))).toBe(
      "text/plain",
    );
    expect(partMediaType(part({ $case: "url", value: "https://x/y" }))).toBe("application/octet-stream");
  });

  it("accepts listed types and names the first refused part", () => {
    const accepted = new Set(["text/plain", "application/json"]);
    expect(() => assertAcceptedParts(request(part({ $case: "text", value: "x" })), accepted)).not.toThrow();
    expect(() =>
      assertAcceptedParts(
        request(
          part({ $case: "text", value: "x" }),
          part({ $case: "raw", value: Buffer.from("") }, "image/png"),
        ),
        accepted,
      ),
    ).toThrow(/Part 1 has media type "image\/png".*text\/plain, application\/json/);
  });
});

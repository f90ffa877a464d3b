import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

describe("package", () => {
  it("loads its public API", () => {
    expect(typeof api).toBe("object");
  });
});

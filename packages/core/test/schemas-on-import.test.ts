// Importing @codetether/core must construct no zod schema: every schema factory of zod is counted (the mock wraps
// them), so a schema built at module load anywhere in core makes this fail, lazy or not.
import { expect, it, vi } from "vitest";

const zodCalls = vi.hoisted(() => ({ count: 0, names: [] as string[] }));

vi.mock("zod", async (importOriginal) => {
  const real = await importOriginal<typeof import("zod")>();
  const z: Record<string, unknown> = { ...real.z };
  for (const [name, value] of Object.entries(real.z)) {
    // Lower-case functions of `z` are its schema factories (z.object, z.string, z.enum...).
    if (typeof value === "function" && /^[a-z]/.test(name))
      z[name] = (...args: unknown[]) => {
        zodCalls.count++;
        zodCalls.names.push(name);
        return (value as (...a: unknown[]) => unknown)(...args);
      };
  }
  return { ...real, z };
});

it("builds no schema when imported, and builds the config schema on first use", async () => {
  const core = await import("../src/index.js");
  expect(zodCalls.names).toEqual([]);
  // The counting can fail: using a schema builds it.
  expect(core.ConfigSchema.parse({}).server.port).toBe(4096);
  expect(zodCalls.count).toBeGreaterThan(10);
});

import { z } from "zod";

type Env = Record<string, string | undefined>;

const bool = (name: string, fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      ctx.addIssue({ code: "custom", message: `${name} must be true or false (got "${v}")` });
      return z.NEVER;
    });

const int = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: "custom",
          message: `${name} must be an integer in ${min}..${max} (got "${v}")`,
        });
        return z.NEVER;
      }
      return n;
    });

export interface CognitionShareConfig {
  enabled: boolean;
  sourceUrl: string;
  includeThoughts: boolean;
  thoughtMaxChars: number;
  timeoutMs: number;
  /** Bearer token for the local `serve` instance (its cognition routes require auth). */
  token?: string;
}

/** Reads the `CODETETHER_WORKER_COGNITION_*` variables; invalid values are errors naming the variable. */
export function cognitionShareConfig(env: Env = process.env): CognitionShareConfig {
  const P = "CODETETHER_WORKER_COGNITION_";
  const schema = z.object({
    enabled: bool(`${P}SHARE_ENABLED`, true),
    sourceUrl: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const url = v || "http://127.0.0.1:4096";
        try {
          new URL(url);
        } catch {
          ctx.addIssue({ code: "custom", message: `${P}SOURCE_URL must be an absolute URL (got "${url}")` });
          return z.NEVER;
        }
        return url.replace(/\/+$/, "");
      }),
    includeThoughts: bool(`${P}INCLUDE_THOUGHTS`, true),
    thoughtMaxChars: int(`${P}THOUGHT_MAX_CHARS`, 480, 0, 100_000),
    timeoutMs: int(`${P}TIMEOUT_MS`, 2500, 1, 600_000),
  });
  const parsed = schema.safeParse({
    enabled: env[`${P}SHARE_ENABLED`],
    sourceUrl: env[`${P}SOURCE_URL`],
    includeThoughts: env[`${P}INCLUDE_THOUGHTS`],
    thoughtMaxChars: env[`${P}THOUGHT_MAX_CHARS`],
    timeoutMs: env[`${P}TIMEOUT_MS`],
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  const token = env[`${P}TOKEN`] || env.CODETETHER_AUTH_TOKEN;
  return { ...parsed.data, ...(token ? { token } : {}) };
}

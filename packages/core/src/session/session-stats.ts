import fs from "node:fs/promises";
import path from "node:path";

/** Token and cost totals for one slice (all, one model, one day). */
export interface UsageTotals {
  sessions: number;
  turns: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cost: number;
}

export interface SessionStats {
  /** Only turns from this time on (ms since the epoch); absent = all time. */
  since?: number;
  total: UsageTotals;
  /** Keyed by `provider/model`, most expensive first (then most tokens). */
  byModel: Array<UsageTotals & { provider: string; model: string }>;
  /** Keyed by UTC date `YYYY-MM-DD`, oldest first. */
  byDay: Array<UsageTotals & { date: string }>;
  /** Files that were not readable sessions (skipped, never changed). */
  skipped: number;
}

/** The few fields stats reads; the rest of a session file is ignored, never validated in full. */
interface RawUsage {
  promptTokens?: number;
  completionTokens?: number;
  cacheReadTokens?: number;
  cost?: number;
}
interface RawMessage {
  role?: string;
  createdAt?: number;
  model?: string;
  usage?: RawUsage;
}
interface RawSession {
  model?: string;
  createdAt?: number;
  updatedAt?: number;
  messages?: RawMessage[];
  usage?: RawUsage;
  metadata?: { forkedFrom?: { inheritedMessages?: number } };
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const empty = (): UsageTotals => ({
  sessions: 0,
  turns: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedTokens: 0,
  cost: 0,
});

class Accumulator {
  readonly total = empty();
  readonly models = new Map<string, UsageTotals>();
  readonly days = new Map<string, UsageTotals>();

  private slice(map: Map<string, UsageTotals>, key: string): UsageTotals {
    const found = map.get(key);
    if (found) return found;
    const t = empty();
    map.set(key, t);
    return t;
  }

  /** Adds one session: every counted turn and model call lands in the total, its model and its day. */
  add(s: RawSession, since: number | undefined): void {
    const messages = Array.isArray(s.messages) ? s.messages : [];
    const from = num(s.metadata?.forkedFrom?.inheritedMessages);
    const fallbackTime = num(s.updatedAt) || num(s.createdAt);
    const touchedModels = new Set<string>();
    const touchedDays = new Set<string>();
    let counted = false;
    let perMessageUsage = false;
    let lastTurnTime = fallbackTime;
    const charge = (model: string, day: string, usage: RawUsage | undefined, turns: number) => {
      for (const t of [this.total, this.slice(this.models, model), this.slice(this.days, day)]) {
        t.turns += turns;
        if (usage) {
          t.inputTokens += num(usage.promptTokens);
          t.outputTokens += num(usage.completionTokens);
          t.cachedTokens += num(usage.cacheReadTokens);
          t.cost += num(usage.cost);
        }
      }
      touchedModels.add(model);
      touchedDays.add(day);
      counted = true;
    };
    // A turn is charged to the model that answered it (its first assistant message), else the session's.
    let pendingTurn: string | undefined;
    const flushTurn = (model: string | undefined) => {
      if (pendingTurn !== undefined) charge(model ?? s.model ?? "unknown/unknown", pendingTurn, undefined, 1);
      pendingTurn = undefined;
    };
    for (let i = from; i < messages.length; i++) {
      const m = messages[i];
      if (!m || typeof m !== "object") continue;
      const time = num(m.createdAt) || lastTurnTime;
      if (m.role === "user") {
        flushTurn(undefined);
        lastTurnTime = time;
        if (since === undefined || time >= since) pendingTurn = dayOf(time);
      } else if (m.role === "assistant") {
        flushTurn(m.model);
        if (!m.usage) continue;
        perMessageUsage = true;
        if (since !== undefined && time < since) continue;
        charge(m.model ?? s.model ?? "unknown/unknown", dayOf(time), m.usage, 0);
      }
    }
    flushTurn(undefined);
    // Sessions saved before per-message usage: the session total, on its model and last day.
    if (!perMessageUsage && from === 0 && s.usage && (since === undefined || fallbackTime >= since)) {
      charge(s.model ?? "unknown/unknown", dayOf(fallbackTime), s.usage, 0);
    }
    if (!counted) return;
    this.total.sessions++;
    for (const key of touchedModels) this.slice(this.models, key).sessions++;
    for (const key of touchedDays) this.slice(this.days, key).sessions++;
  }
}

/** Reads `dir/*.json` with a few files in flight at a time; a bad file is counted as skipped. */
async function eachSession(dir: string, visit: (s: RawSession) => void): Promise<number> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith(".json") && !n.startsWith("."));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw err;
  }
  let skipped = 0;
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++] as string;
      try {
        const json: unknown = JSON.parse(await fs.readFile(path.join(dir, name), "utf8"));
        if (json && typeof json === "object" && !Array.isArray(json)) visit(json as RawSession);
        else skipped++;
      } catch {
        skipped++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, names.length) }, worker));
  return skipped;
}

/**
 * Usage statistics from the saved sessions in `dir`: sessions, turns, tokens in/out/cached and cost, in total,
 * by `provider/model` and by UTC day. Turns inherited by a fork are counted once, in the source.
 */
export async function sessionStats(
  dir: string,
  options: { days?: number; now?: number } = {},
): Promise<SessionStats> {
  const now = options.now ?? Date.now();
  let since: number | undefined;
  if (options.days !== undefined) {
    // Today counts as day 1: --days 1 is since 00:00 UTC today.
    const midnight = Date.parse(`${dayOf(now)}T00:00:00.000Z`);
    since = midnight - (options.days - 1) * 86_400_000;
  }
  const acc = new Accumulator();
  const skipped = await eachSession(dir, (s) => acc.add(s, since));
  const byModel = [...acc.models].map(([key, t]) => {
    const slash = key.indexOf("/");
    return {
      provider: slash > 0 ? key.slice(0, slash) : key,
      model: slash > 0 ? key.slice(slash + 1) : "",
      ...t,
    };
  });
  byModel.sort(
    (a, b) => b.cost - a.cost || b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens),
  );
  const byDay = [...acc.days]
    .map(([date, t]) => ({ date, ...t }))
    .sort((a, b) => a.date.localeCompare(b.date));
  return { ...(since !== undefined ? { since } : {}), total: acc.total, byModel, byDay, skipped };
}

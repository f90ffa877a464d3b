import path from "node:path";
import { dataDir, type SessionStats, sessionStats, toJsonText, type UsageTotals } from "@codetether/core";
import { ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";

const int = (n: number) => n.toLocaleString("en-US");
const usd = (n: number) => `$${n.toFixed(n > 0 && n < 0.01 ? 4 : 2)}`;

function row(label: string, t: UsageTotals, width: number): string {
  return [
    label.padEnd(width),
    int(t.sessions).padStart(9),
    int(t.turns).padStart(8),
    int(t.inputTokens).padStart(13),
    int(t.outputTokens).padStart(12),
    int(t.cachedTokens).padStart(12),
    usd(t.cost).padStart(10),
  ].join("  ");
}

function table(title: string, rows: Array<[string, UsageTotals]>): string {
  const width = Math.max(title.length, ...rows.map(([l]) => l.length));
  const head = [
    title.padEnd(width),
    "sessions".padStart(9),
    "turns".padStart(8),
    "tokens in".padStart(13),
    "tokens out".padStart(12),
    "cached".padStart(12),
    "cost".padStart(10),
  ].join("  ");
  return [head, ...rows.map(([l, t]) => row(l, t, width))].join("\n");
}

export function formatStats(stats: SessionStats, days: number | undefined): string {
  const scope = days ? `last ${days} day${days === 1 ? "" : "s"}` : "all time";
  if (stats.total.sessions === 0) return `No sessions (${scope}).\n`;
  const parts = [
    `Usage, ${scope}: ${int(stats.total.sessions)} sessions, ${int(stats.total.turns)} turns, ${usd(stats.total.cost)}`,
    table(
      "model",
      stats.byModel.map((m) => [`${m.provider}/${m.model}`, m]),
    ),
    table(
      "day",
      stats.byDay.map((d) => [d.date, d]),
    ),
    table("total", [["total", stats.total]]),
  ];
  if (stats.skipped) parts.push(`(${stats.skipped} unreadable session file(s) skipped)`);
  return `${parts.join("\n\n")}\n`;
}

/** `codetether stats [--days N] [--json]`: usage from saved sessions, by model and by day. */
export async function statsCommand(options: { days?: number; json?: boolean }, io: CliIO): Promise<number> {
  const stats = await sessionStats(path.join(dataDir(io.env), "sessions"), {
    ...(options.days ? { days: options.days } : {}),
  });
  io.stdout.write(options.json ? toJsonText(stats, 2) : formatStats(stats, options.days));
  return ExitCode.Success;
}

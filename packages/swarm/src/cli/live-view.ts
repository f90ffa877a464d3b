import { sanitizeTerminalText } from "@codetether/core";
import type { SwarmEvent } from "../swarm-types.js";
import { formatDuration } from "./format.js";

interface Row {
  id: string;
  stage: number;
  state: string;
  tools: number;
  lastTool: string;
  startedAt?: number;
  durationMs?: number;
}

const ICON: Record<string, string> = {
  pending: "·",
  running: "▶",
  completed: "✓",
  failed: "✗",
  skipped: "-",
  cancelled: "⊘",
};

/**
 * Compact live view for a TTY: one line per sub-agent, redrawn in place (at most every 100 ms).
 * Long swarms show the running and most recent rows only, so the block fits the terminal.
 */
export class LiveView {
  private readonly rows = new Map<string, Row>();
  private header = "swarm: decomposing…";
  private drawn = 0;
  private lastDraw = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: { write(chunk: string): unknown; columns?: number },
    private readonly maxRows = 20,
  ) {}

  update(event: SwarmEvent): void {
    if (event.type === "decomposed") {
      this.header = `swarm: ${event.subtasks.length} subtasks, ${event.stages} stages`;
      for (const s of event.subtasks)
        this.rows.set(s.id, { id: s.id, stage: s.stage, state: "pending", tools: 0, lastTool: "" });
    } else if (event.type === "subtask-start") {
      const row = this.rows.get(event.id);
      if (row) Object.assign(row, { state: "running", startedAt: Date.now() });
    } else if (event.type === "subtask-tool") {
      const row = this.rows.get(event.id);
      if (row) Object.assign(row, { tools: row.tools + 1, lastTool: event.tool });
    } else if (event.type === "subtask-end") {
      const row = this.rows.get(event.result.id);
      if (row) Object.assign(row, { state: event.result.status, durationMs: event.result.durationMs });
    } else if (event.type === "synthesizing") this.header += " · synthesizing";
    this.schedule();
  }

  private schedule(): void {
    const wait = 100 - (Date.now() - this.lastDraw);
    if (wait <= 0) this.draw();
    else this.timer ??= setTimeout(() => this.draw(), wait);
  }

  render(): string[] {
    const width = Math.max(40, (this.out.columns ?? 100) - 1);
    const all = [...this.rows.values()];
    const done = all.filter((r) => r.state !== "pending" && r.state !== "running").length;
    const running = all.filter((r) => r.state === "running");
    const shown =
      running.length >= this.maxRows
        ? running.slice(0, this.maxRows)
        : all.filter((r) => r.state !== "pending").slice(-this.maxRows);
    const lines = [`${this.header} · ${done}/${all.length} done · ${running.length} running`];
    for (const r of shown) {
      const time = r.durationMs ?? (r.startedAt ? Date.now() - r.startedAt : 0);
      const line = `${ICON[r.state] ?? "?"} s${r.stage} ${r.id.padEnd(24)} ${formatDuration(time).padStart(6)} tools:${r.tools} ${r.lastTool}`;
      // Subtask ids and tool names come from the model: they must not drive the terminal.
      lines.push(sanitizeTerminalText(line).slice(0, width));
    }
    return lines;
  }

  draw(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastDraw = Date.now();
    const lines = this.render();
    // Move to the top of the previous block, clear it, and redraw.
    const up = this.drawn ? `\x1b[${this.drawn}A` : "";
    this.out.write(`${up}\r\x1b[J${lines.join("\n")}\n`);
    this.drawn = lines.length;
  }

  stop(): void {
    this.draw();
  }
}

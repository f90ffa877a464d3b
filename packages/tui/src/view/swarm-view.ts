import type { SwarmView } from "../state/swarm-state.js";
import type { Theme } from "../theme.js";

const ICONS: Record<string, string> = {
  pending: "○",
  running: "⋯",
  completed: "✓",
  failed: "✗",
  cancelled: "⊘",
  skipped: "↷",
};

/** The swarm view: progress, one line per sub-agent, and the selected agent's detail. */
export function swarmLines(view: SwarmView | undefined, theme: Theme): string[] {
  if (!view)
    return [
      theme.bold(theme.accent("Swarm")),
      theme.muted("No swarm has run in this session. Start one with /swarm <task>: the task is split into"),
      theme.muted("sub-agents that run in parallel; their progress shows here (Tab switches agents)."),
    ];
  const done = view.agents.filter((a) => a.status !== "pending" && a.status !== "running").length;
  const out = [
    theme.bold(theme.accent(`Swarm ${view.runId ?? ""}`.trim())),
    `task: ${view.task}`,
    `${view.phase} · ${done}/${view.agents.length} sub-agents done · stage ${view.currentStage ?? 0}/${view.stages}` +
      (view.speedup !== undefined ? ` · speed-up ${view.speedup.toFixed(1)}×` : ""),
    "",
  ];
  view.agents.forEach((a, i) => {
    const icon = ICONS[a.status] ?? "?";
    const paint = a.status === "failed" ? theme.error : a.status === "completed" ? theme.success : theme.text;
    const line = `${i === view.selected ? "❯" : " "} ${paint(icon)} ${a.name} ${theme.muted(`(${a.id}, stage ${a.stage}, ${a.tools.length} tools)`)}`;
    out.push(i === view.selected ? theme.bold(line) : line);
  });
  const a = view.agents[view.selected];
  if (a) {
    out.push("", theme.bold(theme.accent(`Agent ${a.name} — ${a.status}`)), `instruction: ${a.instruction}`);
    if (a.tools.length) out.push(`tools: ${a.tools.join(", ")}`);
    if (a.durationMs !== undefined) out.push(theme.muted(`${a.durationMs} ms · ${a.tokens ?? 0} tokens`));
    if (a.error) out.push(theme.error(a.error));
    if (a.output) out.push(...a.output.split("\n"));
  }
  if (view.answer) out.push("", theme.bold(theme.accent("Answer")), ...view.answer.split("\n"));
  if (view.error) out.push("", theme.error(view.error));
  out.push(
    "",
    theme.muted("Tab / Shift+Tab switch agents · Esc interrupts a running swarm · /view or Esc returns"),
  );
  return out;
}

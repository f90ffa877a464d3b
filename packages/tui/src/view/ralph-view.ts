import type { RalphView } from "../state/ralph-state.js";
import type { Theme } from "../theme.js";

/** The Ralph view: per-story progress of a PRD, live while `/ralph run` works. */
export function ralphLines(view: RalphView | undefined, theme: Theme): string[] {
  if (!view)
    return [
      theme.bold(theme.accent("Ralph")),
      theme.muted("No PRD loaded. /ralph [prd.json] shows per-story progress; /ralph run [prd.json] works"),
      theme.muted("through the stories until every quality check passes."),
    ];
  const passed = view.stories.filter((s) => s.passes).length;
  const out = [
    theme.bold(theme.accent(`Ralph — ${view.project}: ${view.feature}`)),
    theme.muted(`${view.prdPath}${view.branch ? ` · branch ${view.branch}` : ""}`),
    `${passed}/${view.stories.length} stories pass` +
      (view.iteration !== undefined ? ` · iteration ${view.iteration}` : "") +
      (view.running ? " · running (Esc interrupts)" : view.outcome ? ` · ${view.outcome}` : ""),
    "",
  ];
  for (const s of view.stories) {
    const mark =
      s.state === "running"
        ? theme.warning("[…]")
        : s.passes
          ? theme.success("[x]")
          : s.state === "failed"
            ? theme.error("[!]")
            : s.waitingOn.length
              ? theme.muted("[-]")
              : "[ ]";
    const extra = [
      s.attempt !== undefined && s.state === "running" ? `attempt ${s.attempt}` : "",
      s.lastCheck ?? "",
      s.note ?? "",
      !s.passes && s.waitingOn.length ? `waiting on ${s.waitingOn.join(", ")}` : "",
    ].filter(Boolean);
    out.push(`${mark} ${s.id}  ${s.title}${extra.length ? theme.muted(`  (${extra.join(" · ")})`) : ""}`);
  }
  if (view.log.length)
    out.push("", theme.bold(theme.accent("Log")), ...view.log.map((l) => theme.muted(`  ${l}`)));
  return out;
}

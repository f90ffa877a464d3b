import { closestNames } from "@codetether/core";
import { knownCommandNames, type SlashCommand } from "../commands.js";
import type { TuiController } from "../state/controller.js";
import { isThemeName, THEME_NAMES, type ThemeName } from "../theme.js";
import type { SelectState } from "./select-list.js";

export type Mode = "chat" | "help" | "inspector" | "swarm" | "ralph";

const VIEW_CYCLE: Mode[] = ["chat", "inspector", "swarm", "ralph"];
export type Layout = "classic" | "webview";

/** What slash commands may change in the UI. */
export interface CommandUi {
  setMode(mode: Mode | ((m: Mode) => Mode)): void;
  setLayout(layout: Layout): void;
  openPicker(kind: "models" | "sessions" | "agents" | "rewind", state: SelectState): void;
  setTheme(name: ThemeName): void;
  refresh(): void;
  exit(): void;
}

async function openSessions(controller: TuiController, ui: CommandUi): Promise<void> {
  const sessions = await controller.listSessions();
  if (!sessions.length) {
    controller.notify("No saved sessions yet.");
    return;
  }
  ui.openPicker("sessions", {
    title: "Resume a session",
    filter: "",
    index: 0,
    items: sessions.map((s) => ({
      label: s.title,
      value: s.id,
      detail: `${s.id} · ${s.messageCount} msgs · ${new Date(s.updatedAt).toISOString().slice(0, 16)}`,
    })),
  });
}

/** Runs a slash command. Errors become a notice; nothing throws into React. */
export async function runSlashCommand(command: SlashCommand, controller: TuiController, ui: CommandUi) {
  try {
    switch (command.name) {
      case "help":
        return ui.setMode("help");
      case "model": {
        if (command.arg) return controller.setModel(command.arg);
        const { models, errors } = await controller.listModels();
        if (errors.length) controller.notify(`Could not list: ${errors.join("; ")}`, true);
        return ui.openPicker("models", {
          title: `Pick a model (current: ${controller.snapshot.model})`,
          filter: "",
          index: Math.max(0, models.indexOf(controller.snapshot.model)),
          items: models.map((m) => ({ label: m, value: m })),
        });
      }
      case "sessions":
        return await openSessions(controller, ui);
      case "resume":
        return command.arg ? await controller.resume(command.arg) : await openSessions(controller, ui);
      case "new":
        return controller.newSession();
      case "rewind": {
        const [turnArg, scopeArg] = command.arg.split(/\s+/).filter(Boolean);
        if (turnArg !== undefined) {
          const turn = Number(turnArg);
          const scope = scopeArg ?? "both";
          if (!Number.isInteger(turn) || turn < 0 || !["files", "conversation", "both"].includes(scope))
            return controller.notify("Usage: /rewind <turn> [files|conversation|both]", true);
          return await controller.rewind(turn, scope as "files" | "conversation" | "both");
        }
        const turns = controller.turns();
        if (!turns.length) return controller.notify("Nothing to rewind yet.");
        return ui.openPicker("rewind", {
          title: "Rewind files and conversation to the end of turn…",
          filter: "",
          index: turns.length - 1,
          items: [
            { label: "0  (before the first prompt)", value: "0" },
            ...turns.map((t) => ({ label: `${t.turn}  ${t.text.slice(0, 70)}`, value: String(t.turn) })),
          ],
        });
      }
      case "agent": {
        if (command.arg) return await controller.setAgent(command.arg);
        const agents = await controller.customAgents();
        if (!agents.length) return controller.notify("No custom agents: add .codetether/agents/<name>.md.");
        return ui.openPicker("agents", {
          title: `Pick an agent (current: ${controller.snapshot.agent ?? "default"})`,
          filter: "",
          index: 0,
          items: [
            { label: "default", value: "default", detail: "the built-in agent" },
            ...agents.map((a) => ({ label: a.name, value: a.name, detail: a.description })),
          ],
        });
      }
      case "compact":
        controller.notify("Compacting…");
        return await controller.compact();
      case "inspector":
        return ui.setMode((m) => (m === "inspector" ? "chat" : "inspector"));
      case "view":
        return ui.setMode((m) => VIEW_CYCLE[(VIEW_CYCLE.indexOf(m) + 1) % VIEW_CYCLE.length] ?? "chat");
      case "swarm":
        ui.setMode("swarm");
        if (command.arg) return await controller.startSwarm(command.arg);
        return;
      case "ralph": {
        ui.setMode("ralph");
        const [first, ...rest] = command.arg.split(/\s+/).filter(Boolean);
        if (first === "run") return await controller.runRalph(rest[0] ?? "prd.json");
        return await controller.showRalph(first ?? "prd.json");
      }
      case "webview":
        return ui.setLayout("webview");
      case "classic":
        return ui.setLayout("classic");
      case "refresh":
        return ui.refresh();
      case "theme":
        if (!isThemeName(command.arg)) {
          return controller.notify(
            `Unknown theme "${command.arg}". Themes: ${THEME_NAMES.join(", ")}.`,
            true,
          );
        }
        return ui.setTheme(command.arg);
      case "quit":
      case "exit":
        return ui.exit();
      default: {
        const customs = await controller.customCommands();
        const custom = customs.find((c) => c.name.toLowerCase() === command.name);
        if (custom) return await controller.runCustomCommand(custom, command.arg);
        const near = closestNames(command.name, [...knownCommandNames(), ...customs.map((c) => c.name)], 3);
        const hint = near.length ? ` Did you mean /${near.join(", /")}?` : "";
        return controller.notify(
          `Unknown command "/${command.name}".${hint} Press ? for every command.`,
          true,
        );
      }
    }
  } catch (err) {
    controller.notify((err as Error).message, true);
  }
}

import { render } from "ink";
import { App } from "./app.js";
import { TuiController, type TuiDeps } from "./state/controller.js";
import { colorEnabled, createTheme, type ThemeName } from "./theme.js";
import { watchThemeConfig } from "./theme-watch.js";
import type { Layout } from "./view/run-command.js";

export interface RunTuiOptions extends TuiDeps {
  theme: ThemeName;
  env: Record<string, string | undefined>;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  layout?: Layout;
  /** Config files to watch for `[ui] theme` changes, with a reader returning the configured theme. */
  themeConfig?: { files: string[]; read: () => ThemeName | undefined };
}

/** Runs the interactive TUI until the user quits. Returns the exit code (0). */
export async function runTui(options: RunTuiOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const theme = createTheme(options.theme, colorEnabled(options.env, Boolean(stdout.isTTY)));
  const controller = new TuiController(options);
  let code = 0;
  const themeConfig = options.themeConfig;
  const watchTheme = themeConfig
    ? (onChange: (name: ThemeName) => void) => watchThemeConfig(themeConfig.files, themeConfig.read, onChange)
    : undefined;
  let clear = () => {};
  const instance = render(
    <App
      controller={controller}
      bridge={options.bridge}
      theme={theme}
      {...(watchTheme ? { watchTheme } : {})}
      {...(options.layout ? { layout: options.layout } : {})}
      onExit={(c) => {
        code = c;
      }}
      onRefresh={() => clear()}
    />,
    { stdin, stdout, exitOnCtrlC: false },
  );
  clear = () => instance.clear();
  await instance.waitUntilExit();
  return code;
}

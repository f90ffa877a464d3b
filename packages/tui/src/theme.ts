import { Chalk, type ChalkInstance } from "chalk";

export const THEME_NAMES = ["marketing", "dark", "light", "solarized-dark", "solarized-light"] as const;
export type ThemeName = (typeof THEME_NAMES)[number];

/** Colours of one theme, as hex strings. */
export interface ThemeColors {
  accent: string;
  text: string;
  muted: string;
  user: string;
  tool: string;
  success: string;
  error: string;
  warning: string;
  background: string;
}

export const THEMES: Record<ThemeName, ThemeColors> = {
  // The default: cyan accents on near-black.
  marketing: {
    accent: "#00e5ff",
    text: "#e6f1f5",
    muted: "#6b7f88",
    user: "#7ee7ff",
    tool: "#b48cff",
    success: "#3ddc97",
    error: "#ff5c7a",
    warning: "#ffc857",
    background: "#0b0f12",
  },
  dark: {
    accent: "#61afef",
    text: "#dcdfe4",
    muted: "#7f848e",
    user: "#e5c07b",
    tool: "#c678dd",
    success: "#98c379",
    error: "#e06c75",
    warning: "#d19a66",
    background: "#1e2127",
  },
  light: {
    accent: "#0058b0",
    text: "#1f2328",
    muted: "#6e7781",
    user: "#8250df",
    tool: "#953800",
    success: "#1a7f37",
    error: "#cf222e",
    warning: "#9a6700",
    background: "#ffffff",
  },
  "solarized-dark": {
    accent: "#268bd2",
    text: "#93a1a1",
    muted: "#586e75",
    user: "#b58900",
    tool: "#6c71c4",
    success: "#859900",
    error: "#dc322f",
    warning: "#cb4b16",
    background: "#002b36",
  },
  "solarized-light": {
    accent: "#268bd2",
    text: "#586e75",
    muted: "#93a1a1",
    user: "#b58900",
    tool: "#6c71c4",
    success: "#859900",
    error: "#dc322f",
    warning: "#cb4b16",
    background: "#fdf6e3",
  },
};

/** A theme ready to paint strings; every painter is the identity when colour is off. */
export interface Theme {
  name: ThemeName;
  color: boolean;
  colors: ThemeColors;
  accent(s: string): string;
  text(s: string): string;
  muted(s: string): string;
  user(s: string): string;
  tool(s: string): string;
  success(s: string): string;
  error(s: string): string;
  warning(s: string): string;
  bold(s: string): string;
  italic(s: string): string;
  inverse(s: string): string;
}

export function isThemeName(value: unknown): value is ThemeName {
  return typeof value === "string" && (THEME_NAMES as readonly string[]).includes(value);
}

/** Colour is off with NO_COLOR (https://no-color.org), TERM=dumb, or a non-TTY output. */
export function colorEnabled(env: Record<string, string | undefined>, isTTY = true): boolean {
  return isTTY && !env.NO_COLOR && env.TERM !== "dumb";
}

export function createTheme(name: ThemeName, color: boolean): Theme {
  const colors = THEMES[name];
  const chalk: ChalkInstance = new Chalk({ level: color ? 3 : 0 });
  const hex = (c: string) => (s: string) => chalk.hex(c)(s);
  return {
    name,
    color,
    colors,
    accent: hex(colors.accent),
    text: hex(colors.text),
    muted: hex(colors.muted),
    user: hex(colors.user),
    tool: hex(colors.tool),
    success: hex(colors.success),
    error: hex(colors.error),
    warning: hex(colors.warning),
    bold: (s) => chalk.bold(s),
    italic: (s) => chalk.italic(s),
    inverse: (s) => chalk.inverse(s),
  };
}

/**
 * Output for the CLI: colour and progress on a terminal, plain text in pipes. Colour follows
 * NO_COLOR / FORCE_COLOR (https://no-color.org) and `--no-color`; progress goes to stderr and
 * only when stderr is a terminal, so piped stdout stays machine-readable.
 */
import { styleText } from "node:util";

type Style = Parameters<typeof styleText>[0];

export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** Styles text when colour is on; returns it unchanged otherwise. */
  paint(style: Style, text: string): string;
  /** A transient status line on a terminal; nothing in pipes. */
  progress(text: string): void;
  /** Clears the status line. */
  done(): void;
}

export interface TerminalOptions {
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
}

export function terminal(options: TerminalOptions = {}): Terminal {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const color = options.color ?? (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" ? true : env.NO_COLOR === undefined && stdout.isTTY === true);
  const live = stderr.isTTY === true;
  let shown = false;
  return {
    out: (text) => void stdout.write(`${text}\n`),
    err: (text) => void stderr.write(`${text}\n`),
    paint: (style, text) => (color ? styleText(style, text, { validateStream: false }) : text),
    progress(text) {
      if (!live) return;
      stderr.write(`\r\x1b[K${text}`);
      shown = true;
    },
    done() {
      if (shown) stderr.write("\r\x1b[K");
      shown = false;
    },
  };
}

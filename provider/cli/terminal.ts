/**
 * Output for the CLI: colour and progress on a terminal, plain text in pipes. Colour follows
 * NO_COLOR / FORCE_COLOR (https://no-color.org) and `--no-color`; progress goes to stderr and
 * only when stderr is a terminal, so piped stdout stays machine-readable.
 *
 * Everything written passes through printableLines (provider/vocabulary/printable.ts): a name, URN, path
 * or host message carrying an escape sequence is shown escaped, never acted on. The only
 * escape sequences that reach the terminal are the ones this module makes (colour, clearing
 * the status line): paint marks its styles with a marker holding a random per-terminal nonce,
 * which text read from a file cannot forge, and out/err turn the markers into SGR sequences
 * after escaping everything else.
 */
import { randomBytes } from "node:crypto";
import { styleText } from "node:util";
import { printableLines } from "../vocabulary/printable";

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

/** ECMA-48 CSI "erase in line" after a carriage return: clears the status line. */
const CLEAR_LINE = "\r\x1b[K";

export function terminal(options: TerminalOptions = {}): Terminal {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const color = options.color ?? (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" ? true : env.NO_COLOR === undefined && stdout.isTTY === true);
  const live = stderr.isTTY === true;
  const styles = painter();
  let shown = false;
  const safe = (text: string) => styles.render(printableLines(text));
  return {
    out: (text) => void stdout.write(`${safe(text)}\n`),
    err: (text) => void stderr.write(`${safe(text)}\n`),
    paint: (style, text) => (color ? styles.mark(style, text) : text),
    progress(text) {
      if (!live) return;
      stderr.write(`${CLEAR_LINE}${safe(text).replace(/\n/g, " ")}`);
      shown = true;
    },
    done() {
      if (shown) stderr.write(CLEAR_LINE);
      shown = false;
    },
  };
}

/** Style markers only this terminal can make, and their rendering as SGR sequences. */
function painter() {
  // Private-use characters around a nonce: printable (printableLines keeps them), never a terminal control.
  const nonce = randomBytes(8).toString("hex");
  const used: { open: string; close: string }[] = [];
  const index = new Map<string, number>();
  const marker = new RegExp(`\\ue000${nonce}:(\\d+):([oc])\\ue001`, "g");
  return {
    mark(style: Style, text: string): string {
      const key = JSON.stringify(style);
      let i = index.get(key);
      if (i === undefined) {
        const [open, close] = styleText(style, "\0", { validateStream: false }).split("\0");
        i = used.push({ open, close }) - 1;
        index.set(key, i);
      }
      return `\ue000${nonce}:${i}:o\ue001${text}\ue000${nonce}:${i}:c\ue001`;
    },
    render(text: string): string {
      return text.replace(marker, (_m, i: string, end: string) => (end === "o" ? used[Number(i)].open : used[Number(i)].close));
    },
  };
}

/**
 * Splits pasted shell text into commands and their words, the way a POSIX shell would for the
 * simple commands people keep in READMEs and scripts: `\` line continuations, single quotes
 * (literal), double quotes (with `\"`, `\\`, `\$`, `` \` `` escapes), `#` comments, and
 * commands separated by newlines, `;` or `&&`. PowerShell's trailing backtick continuation is
 * accepted too, because Docker-on-Windows instructions are usually written for PowerShell.
 *
 * Nothing is expanded: `$VAR` stays literal text, so an imported value is exactly what was
 * written (and a variable shows up in the error for the field that cannot take it).
 */

export interface ShellCommand {
  words: string[];
  /** 1-based line where the command starts, for messages. */
  line: number;
}

export class ShellSyntaxError extends Error {
  constructor(
    /** The problem, without its place. */
    readonly detail: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

/** Characters that end a word outside quotes. */
const BLANK = new Set([" ", "\t", "\r"]);

export function splitCommands(text: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let word: string | undefined; // undefined: between words ('' is a real, empty word: "")
  let line = 1;
  let start = 1;
  let i = 0;

  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length) commands.push({ words, line: start });
    words = [];
  };
  const append = (s: string) => {
    if (word === undefined && words.length === 0) start = line;
    word = (word ?? "") + s;
  };

  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    // Continuations: backslash-newline (POSIX) or backtick-newline (PowerShell) join lines.
    if ((c === "\\" || c === "`") && (next === "\n" || (next === "\r" && text[i + 2] === "\n"))) {
      i += next === "\r" ? 3 : 2;
      line++;
      continue;
    }
    if (c === "\n") {
      endCommand();
      line++;
      i++;
      continue;
    }
    if (BLANK.has(c)) {
      endWord();
      i++;
      continue;
    }
    if (c === ";") {
      endCommand();
      i++;
      continue;
    }
    if (c === "&" && next === "&") {
      endCommand();
      i += 2;
      continue;
    }
    if (c === "#" && word === undefined) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new ShellSyntaxError("unterminated single quote", line);
      const literal = text.slice(i + 1, close);
      append(literal);
      line += literal.split("\n").length - 1;
      i = close + 1;
      continue;
    }
    if (c === '"') {
      const opened = line;
      let s = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new ShellSyntaxError("unterminated double quote", opened);
        const d = text[i];
        if (d === '"') break;
        if (d === "\\" && i + 1 < text.length) {
          const e = text[i + 1];
          if (e === "\n") {
            i += 2;
            line++;
            continue;
          }
          // Inside double quotes a backslash escapes only these; elsewhere it is literal.
          if (e === '"' || e === "\\" || e === "$" || e === "`") {
            s += e;
            i += 2;
            continue;
          }
        }
        if (d === "\n") line++;
        s += d;
        i++;
      }
      append(s);
      i++;
      continue;
    }
    if (c === "\\" && next !== undefined) {
      append(next);
      i += 2;
      continue;
    }
    if (c === "|" || c === "<" || c === ">" || c === "&") {
      throw new ShellSyntaxError(`"${c}" (pipes, redirections, background jobs) cannot be imported: keep only docker network create commands`, line);
    }
    append(c);
    i++;
  }
  endCommand();
  return commands;
}

/** Words back to one line of shell text that splitCommands reads as the same words. */
export function joinWords(words: readonly string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(" ");
}

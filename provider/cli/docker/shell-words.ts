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

import { HnsError } from "../../vocabulary/errors";

export interface ShellCommand {
  words: string[];
  /** 1-based line where the command starts, for messages. */
  line: number;
}

export class ShellSyntaxError extends HnsError {
  constructor(
    /** The problem, without its place. */
    readonly detail: string,
    readonly line: number,
  ) {
    super({ code: "InvalidInput", message: `line ${line}: ${detail}` });
  }
}

/** Characters that end a word outside quotes. */
const BLANK = new Set([" ", "\t", "\r"]);

export function splitCommands(text: string): ShellCommand[] {
  return new Splitter(text).run();
}

/** One pass over the text; each step reads one construct and moves `i` past it. */
class Splitter {
  private readonly commands: ShellCommand[] = [];
  private words: string[] = [];
  private word: string | undefined; // undefined: between words ('' is a real, empty word: "")
  private line = 1;
  private start = 1;
  private i = 0;

  constructor(private readonly text: string) {}

  run(): ShellCommand[] {
    while (this.i < this.text.length) this.step();
    this.endCommand();
    return this.commands;
  }

  private step(): void {
    const { text, i } = this;
    const c = text[i];
    const next = text[i + 1];
    // Continuations: backslash-newline (POSIX) or backtick-newline (PowerShell) join lines.
    if ((c === "\\" || c === "`") && (next === "\n" || (next === "\r" && text[i + 2] === "\n"))) {
      this.i += next === "\r" ? 3 : 2;
      this.line++;
    } else if (c === "\n") {
      this.endCommand();
      this.line++;
      this.i++;
    } else if (BLANK.has(c)) {
      this.endWord();
      this.i++;
    } else if (c === ";" || (c === "&" && next === "&")) {
      this.endCommand();
      this.i += c === ";" ? 1 : 2;
    } else if (c === "#" && this.word === undefined) {
      while (this.i < text.length && text[this.i] !== "\n") this.i++;
    } else if (c === "'") {
      this.singleQuoted();
    } else if (c === '"') {
      this.doubleQuoted();
    } else if (c === "\\" && next !== undefined) {
      this.append(next);
      this.i += 2;
    } else if (c === "|" || c === "<" || c === ">" || c === "&") {
      throw new ShellSyntaxError(`"${c}" (pipes, redirections, background jobs) cannot be imported: keep only docker network create commands`, this.line);
    } else {
      this.append(c);
      this.i++;
    }
  }

  private singleQuoted(): void {
    const close = this.text.indexOf("'", this.i + 1);
    if (close < 0) throw new ShellSyntaxError("unterminated single quote", this.line);
    const literal = this.text.slice(this.i + 1, close);
    this.append(literal);
    this.line += literal.split("\n").length - 1;
    this.i = close + 1;
  }

  private doubleQuoted(): void {
    const { text } = this;
    const opened = this.line;
    let s = "";
    this.i++;
    for (;;) {
      if (this.i >= text.length) throw new ShellSyntaxError("unterminated double quote", opened);
      const d = text[this.i];
      if (d === '"') break;
      if (d === "\\" && this.i + 1 < text.length) {
        const e = text[this.i + 1];
        if (e === "\n") {
          this.i += 2;
          this.line++;
          continue;
        }
        // Inside double quotes a backslash escapes only these; elsewhere it is literal.
        if (e === '"' || e === "\\" || e === "$" || e === "`") {
          s += e;
          this.i += 2;
          continue;
        }
      }
      if (d === "\n") this.line++;
      s += d;
      this.i++;
    }
    this.append(s);
    this.i++;
  }

  private endWord(): void {
    if (this.word !== undefined) this.words.push(this.word);
    this.word = undefined;
  }

  private endCommand(): void {
    this.endWord();
    if (this.words.length) this.commands.push({ words: this.words, line: this.start });
    this.words = [];
  }

  private append(s: string): void {
    if (this.word === undefined && this.words.length === 0) this.start = this.line;
    this.word = (this.word ?? "") + s;
  }
}

/** Words back to one line of shell text that splitCommands reads as the same words. */
export function joinWords(words: readonly string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(" ");
}

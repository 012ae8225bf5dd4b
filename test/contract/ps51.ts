/**
 * Windows PowerShell 5.1 compatibility of our scripts, judged on the tree-sitter-powershell
 * tree: the agent and the session prelude may run in `powershell.exe` 5.1 (a host block's
 * executable), so they must use only syntax, parameters, cmdlets and variables 5.1 has.
 *
 * Sources for what arrived after 5.1 (Microsoft "What's New in PowerShell" 6.0 to 7.5, and each
 * cmdlet's reference page, https://learn.microsoft.com/powershell/scripting/whats-new/overview):
 * `??`, `??=`, `?.`, `?[]`, the ternary `a ? b : c` and the `&&` / `||` pipeline chains came with
 * 7.0; the parameters and cmdlets below carry the version that brought them.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Language, Parser, type Node } from "web-tree-sitter";

/** Parameters that 5.1's cmdlet of the same name does not have, by cmdlet (lower case). */
const NEWER_PARAMETERS: Record<string, Record<string, string>> = {
  "convertfrom-json": { "-AsHashtable": "6.0", "-Depth": "6.2", "-NoEnumerate": "7.0", "-DateKind": "7.5" },
  "convertto-json": { "-AsArray": "6.2", "-EscapeHandling": "6.2", "-EnumsAsStrings": "6.2" },
  "foreach-object": { "-Parallel": "7.0", "-ThrottleLimit": "7.0", "-AsJob": "7.0" },
  "new-pssession": { "-HostName": "6.0", "-SSHTransport": "6.0", "-KeyFilePath": "6.0", "-Options": "7.3" },
  "invoke-webrequest": { "-SkipCertificateCheck": "6.0", "-Authentication": "6.0" },
  "invoke-restmethod": { "-SkipCertificateCheck": "6.0", "-Authentication": "6.0" },
  "split-path": { "-Extension": "6.0", "-LeafBase": "6.0" },
  "get-date": { "-AsUTC": "7.1", "-UnixTimeSeconds": "7.1" },
  "import-module": { "-UseWindowsPowerShell": "7.0" },
  "test-connection": { "-TcpPort": "6.0", "-Ping": "6.0" },
};

/** Cmdlets 5.1 does not have. */
const NEWER_COMMANDS: Record<string, string> = {
  "join-string": "6.2",
  "get-error": "7.0",
  "test-json": "6.1",
  "convertfrom-markdown": "6.1",
  "show-markdown": "6.1",
  "get-uptime": "6.0",
  "remove-alias": "6.0",
  "remove-service": "6.0",
  "clear-recyclebin": "6.1",
};

/** Automatic variables 5.1 does not set. */
const NEWER_VARIABLES: Record<string, string> = { $psstyle: "7.2", $iswindows: "6.0", $islinux: "6.0", $ismacos: "6.0", $iscoreclr: "6.0" };

/** Operator tokens of PowerShell 7, if a grammar ever parses them. */
const NEWER_TOKENS: Record<string, string> = { "??": "`??` (7.0)", "??=": "`??=` (7.0)", "?.": "`?.` (7.0)", "?[": "`?[]` (7.0)", "&&": "`&&` pipeline chain (7.0)", "||": "`||` pipeline chain (7.0)" };

let parser: Parser | undefined;

export async function powershellParser(): Promise<Parser> {
  if (parser) return parser;
  await Parser.init();
  const wasm = path.join(path.dirname(require.resolve("tree-sitter-powershell/package.json")), "tree-sitter-powershell.wasm");
  const p = new Parser();
  // Bytes, not a path: given a path, web-tree-sitter uses a dynamic import jest's VM refuses.
  p.setLanguage(await Language.load(readFileSync(wasm)));
  return (parser = p);
}

/** What a `?` the grammar could not place means, from the character after it. */
function questionMark(source: string, at: number): string {
  const next = source[at + 1];
  if (next === "?") return source[at + 2] === "=" ? "`??=` (7.0)" : "`??` null-coalescing (7.0)";
  if (next === ".") return "`?.` null-conditional member access (7.0)";
  if (next === "[") return "`?[]` null-conditional index (7.0)";
  return "`? :` ternary operator (7.0)";
}

/** Every construct 5.1 lacks, as "line N: what (version)"; empty when the script is 5.1-clean. */
export function ps51Problems(p: Parser, source: string): string[] {
  const found: string[] = [];
  const line = (n: Node) => `line ${n.startPosition.row + 1}`;
  const walk = (n: Node): void => {
    if (n.type === "pipeline_chain_tail") {
      found.push(`${line(n)}: \`${n.text.trim()}\` pipeline chain (7.0)`);
      return; // its && or || token is the same finding
    }
    if (NEWER_TOKENS[n.type] && !n.isNamed) found.push(`${line(n)}: ${NEWER_TOKENS[n.type]}`);
    else if (n.type === "ERROR") {
      const q = n.text.indexOf("?");
      found.push(`${line(n)}: ${q >= 0 ? questionMark(source, n.startIndex + q) : `does not parse: ${n.text.slice(0, 40)}`}`);
      return; // one report per unparsed stretch
    } else if (n.type === "command") {
      const name = (n.childForFieldName("command_name")?.text ?? "").toLowerCase();
      if (NEWER_COMMANDS[name]) found.push(`${line(n)}: ${name} (cmdlet of ${NEWER_COMMANDS[name]})`);
      const params = NEWER_PARAMETERS[name] ?? {};
      for (const c of n.descendantsOfType("command_parameter")) {
        if (!c) continue;
        const written = c.text.replace(/:.*$/, "").toLowerCase();
        // PowerShell takes any unambiguous prefix of a parameter name.
        for (const [param, version] of Object.entries(params)) {
          if (written.length > 2 && param.toLowerCase().startsWith(written)) found.push(`${line(c)}: ${name} ${param} (${version})`);
        }
      }
    } else if (n.type === "variable" && NEWER_VARIABLES[n.text.toLowerCase()]) found.push(`${line(n)}: ${n.text} (${NEWER_VARIABLES[n.text.toLowerCase()]})`);
    for (const c of n.children) if (c) walk(c);
  };
  walk(p.parse(source)!.rootNode);
  return found;
}

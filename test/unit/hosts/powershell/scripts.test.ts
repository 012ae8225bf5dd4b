// The shipped PowerShell scripts parse with zero error nodes (tree-sitter-powershell, WASM),
// and the check can fail: a broken copy is flagged.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Language, Parser, type Node } from "web-tree-sitter";
import { scriptText } from "../../../../provider/hosts/powershell/scripts";

let parser: Parser;
beforeAll(async () => {
  await Parser.init();
  const wasm = path.join(path.dirname(require.resolve("tree-sitter-powershell/package.json")), "tree-sitter-powershell.wasm");
  parser = new Parser();
  // Bytes, not a path: given a path, web-tree-sitter uses a dynamic import jest's VM refuses.
  parser.setLanguage(await Language.load(readFileSync(wasm)));
});

/** Every ERROR or MISSING node, with its line, so a failure says where. */
function syntaxErrors(text: string): string[] {
  const tree = parser.parse(text)!;
  const found: string[] = [];
  const walk = (n: Node) => {
    if (n.type === "ERROR" || n.isMissing) found.push(`${n.isMissing ? "missing" : "error"} at line ${n.startPosition.row + 1}: ${n.text.slice(0, 60)}`);
    for (const c of n.children) if (c) walk(c);
  };
  walk(tree.rootNode);
  if (tree.rootNode.hasError && found.length === 0) found.push("the parser reports an error it did not locate");
  return found;
}

test.each(["agent.ps1", "session.ps1"] as const)("%s parses with zero error nodes", (name) => {
  expect(syntaxErrors(scriptText(name))).toEqual([]);
});

test.each([
  ["an unclosed function body", (t: string) => t.replace(/\n}\n/, "\n\n")],
  ["an unterminated string", (t: string) => t.replace("'hns-reply:'", "'hns-reply:")],
  ["a dangling pipe", (t: string) => `${t}\nGet-Item |\n`],
])("negative control: %s is flagged", (_label, breakIt) => {
  const broken = breakIt(scriptText("session.ps1"));
  expect(broken).not.toBe(scriptText("session.ps1"));
  expect(syntaxErrors(broken).length).toBeGreaterThan(0);
});

test("the agent defines the functions the session prelude calls, and the prelude the ones the provider sends", () => {
  const agent = scriptText("agent.ps1");
  const prelude = scriptText("session.ps1");
  for (const fn of ["Invoke-HnsAgentCall", "Get-HnsAgentInfo"]) expect(agent).toMatch(new RegExp(`^function ${fn} \\{`, "m"));
  for (const fn of ["Open-HnsSession", "Import-HnsAgent", "Invoke-HnsAgent", "Close-HnsSession"]) expect(prelude).toMatch(new RegExp(`^function ${fn} \\{`, "m"));
  // every HCN call of the five kinds is declared, and returned strings are freed
  for (const kind of ["Network", "Endpoint", "Namespace", "LoadBalancer", "SdnRoute"]) {
    for (const op of [`HcnEnumerate${kind}s`, `HcnCreate${kind}`, `HcnOpen${kind}`, `HcnModify${kind}`, `Hcn${"Query"}${kind}Properties`, `HcnDelete${kind}`, `HcnClose${kind}`]) {
      expect(agent).toContain(` ${op}(`);
    }
  }
  expect(agent).toContain("Marshal.FreeCoTaskMem");
});

test("a script is sent as encoding.ps1 then the script, read next to the module, and the decoder is defined once", () => {
  const dir = path.resolve(__dirname, "../../../../provider/hosts/powershell");
  const file = (name: string) => readFileSync(path.join(dir, name), "utf8");
  const decoder = /^function ConvertFrom-HnsEncodedValue \{/gm;
  for (const name of ["agent.ps1", "session.ps1"] as const) {
    expect(scriptText(name)).toBe(`${file("encoding.ps1")}\n${file(name)}`);
    expect(file(name).match(decoder)).toBeNull();
    expect(scriptText(name).match(decoder)).toHaveLength(1);
  }
});

test("every JSON the scripts parse from the provider goes through ConvertFrom-HnsEncodedValue (no string can become a date)", () => {
  for (const name of ["agent.ps1", "session.ps1"] as const) {
    const parses = scriptText(name)
      .split("\n")
      .filter((l) => l.includes("ConvertFrom-Json") && !l.trim().startsWith("#"));
    expect(parses.length).toBeGreaterThan(0);
    // the one exception: HCN's own list of GUIDs in the agent
    for (const line of parses) expect(line.includes("ConvertFrom-HnsEncodedValue") || line.includes("$ids.Text")).toBe(true);
  }
});

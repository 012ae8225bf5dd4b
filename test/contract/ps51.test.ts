// The agent and the session prelude use only what Windows PowerShell 5.1 has (ps51.ts), and
// the check fails on each PowerShell 7 construct slipped into a copy of the agent.
import type { Parser } from "web-tree-sitter";
import { scriptText } from "../../provider/hosts/powershell/scripts";
import { powershellParser, ps51Problems } from "./ps51";

let parser: Parser;
beforeAll(async () => {
  parser = await powershellParser();
});

test.each(["agent.ps1", "session.ps1"] as const)("%s uses nothing Windows PowerShell 5.1 lacks", (name) => {
  expect(ps51Problems(parser, scriptText(name))).toEqual([]);
});

// Each line is added inside a function at the end of the real agent, so the rest stays clean.
test.each([
  ["null-coalescing", "$v = $Request.kind ?? 'network'", /`\?\?` null-coalescing/],
  ["null-coalescing assignment", "$Request.kind ??= 'network'", /`\?\?=`/],
  ["null-conditional member access", "$v = ${Request}?.kind", /`\?\.` null-conditional/],
  ["null-conditional index", "$v = ${ids}?[0]", /`\?\[\]`/],
  ["ternary", "$v = $ok ? 'true' : 'false'", /ternary/],
  ["&& pipeline chain", "Get-Item $p && Remove-Item $p", /`&&` pipeline chain/],
  ["|| pipeline chain", "Get-Item $p || throw 'missing'", /`\|\|` pipeline chain/],
  ["ConvertFrom-Json -AsHashtable", "$h = $text | ConvertFrom-Json -AsHashtable", /convertfrom-json -AsHashtable \(6\.0\)/],
  ["ConvertFrom-Json -Depth", "$h = ConvertFrom-Json -InputObject $text -Depth 64", /convertfrom-json -Depth \(6\.2\)/],
  ["a parameter abbreviated", "$h = $text | ConvertFrom-Json -AsHash", /convertfrom-json -AsHashtable/],
  ["ForEach-Object -Parallel", "$ids | ForEach-Object -Parallel { $_ }", /foreach-object -Parallel \(7\.0\)/],
  ["Join-String", "$s = $ids | Join-String -Separator ','", /join-string \(cmdlet of 6\.2\)/],
  ["$PSStyle", "$r = $PSStyle.Reset", /\$PSStyle \(7\.2\)/],
  ["$IsWindows", "if ($IsWindows) { $x = 1 }", /\$IsWindows \(6\.0\)/],
])("negative control: %s is flagged", (_label, line, reason) => {
  const agent = scriptText("agent.ps1");
  const broken = `${agent}\nfunction Test-Ps7Only {\n    ${line}\n}\n`;
  const problems = ps51Problems(parser, broken);
  expect(problems.join("\n")).toMatch(reason);
  // It is reported at the line it was added on.
  const at = agent.split("\n").length + 2;
  expect(problems.some((p) => p.startsWith(`line ${at}:`))).toBe(true);
});

test("ConvertTo-Json -Depth is fine (5.1 has it); only ConvertFrom-Json's is new", () => {
  expect(ps51Problems(parser, "$t = ConvertTo-Json -InputObject $o -Depth 10 -Compress\n")).toEqual([]);
});

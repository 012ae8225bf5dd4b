// Hostile values (quotes, subexpressions, here-strings, control characters, emoji, RTL text,
// 10k-character names) travel through the transport and the double into the emulator intact,
// and none of them ever appears in the command text written to the shell.
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { PowerShellClient } from "../../../../provider/hosts/powershell";
import { PwshDouble } from "../../../doubles/double";
import { tempDir } from "../../../helpers/tmp";

const tmp = tempDir("hns-inject-");
const dbl = new PwshDouble(tmp.dir);
// One host and one session for the whole corpus: values differ, so names never clash.
const client = new PowerShellClient({ kind: "local", name: "inj", executable: dbl.executable });
const hns = new HnsEmulator(dbl.stateFile("inj"));
afterAll(async () => {
  await client.close();
  tmp.cleanup();
});

export const CORPUS: Record<string, string> = {
  "single quotes": "it's a 'quoted' name",
  "double quotes": 'say "hello" to $env:USERNAME',
  subexpression: "x$(Remove-Item -Recurse -Force C:\\)y",
  backticks: "tick`ntock`$HOME`0",
  semicolon: "a; Stop-Computer -Force; b",
  pipe: "a | Out-File C:\\pwned.txt",
  newlines: "line one\nline two\r\nline three",
  hash: "name # comment <# block #>",
  "here-string": "@'\nInvoke-Expression 'calc'\n'@",
  "here-string double": '@"\n$(calc)\n"@',
  "non-ASCII": "réseau-naïve-Ünïcödé-日本語",
  emoji: "net-🚀-👩🏽‍💻-🏳️‍🌈",
  RTL: "شبكة\u202Eevil\u202C-רשת",
  "control characters": "ctl\u0001\u0007\u001b[31m\u007f\u0008end",
  "10k characters": "n".repeat(4000) + "'$()`;|#" + "é".repeat(3000) + "🚀".repeat(1496),
};

test.each(Object.entries(CORPUS))("%s: network and endpoint names and DNS suffixes round-trip", async (_label, value) => {
  const net = await client.create("network", {
    Name: value,
    Type: "L2Bridge",
    Dns: { Domain: value, Search: [value] },
    Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.9.0.0/24", Routes: [{ NextHop: "10.9.0.1", DestinationPrefix: "0.0.0.0/0" }] }] }],
  });
  const ep = await client.create("endpoint", { Name: value, HostComputeNetwork: net.ID, Dns: { Domain: value } });
  // what the emulator stored, read directly
  expect((await hns.get("network", net.ID!))).toMatchObject({ Name: value, Dns: { Domain: value, Search: [value] } });
  expect((await hns.get("endpoint", ep.ID!))).toMatchObject({ Name: value, Dns: { Domain: value } });
  // and what comes back through the transport, including a filter on the value
  expect((await client.list("network", { Name: value })).map((n) => n.ID)).toEqual([net.ID]);
  expect((await client.get("endpoint", ep.ID!))?.Name).toBe(value);
  expect(dbl.stdin()).not.toContain(value);
});

test("a hostile password reaches the host intact (it is accepted) and never appears in command text", async () => {
  const password = Object.values(CORPUS).join("");
  dbl.acceptCredentials({ "win9.example": { user: "admin", password } });
  const remote = new PowerShellClient({ kind: "winrm", name: "win9", address: "win9.example", user: "admin", password, executable: dbl.executable });
  try {
    expect(await remote.version()).toEqual({ Major: 15, Minor: 4 });
  } finally {
    await remote.close();
  }
  const stdin = dbl.stdin();
  expect(stdin).not.toContain(password);
  for (const v of Object.values(CORPUS)) expect(stdin).not.toContain(v);
  // every line written is a marker, the prelude, Close-HnsSession, or a fixed function with one base64 argument
  for (const line of stdin.split("\n").filter(Boolean)) {
    expect(line).toMatch(/^(\[Console\]::(Out|Error)\.WriteLine\("[0-9A-Za-z]{16}"\)|(Open-HnsSession|Import-HnsAgent|Invoke-HnsAgent) '[A-Za-z0-9+/]*={0,2}'|\. \(\[scriptblock\]::Create\(\[Text\.Encoding\]::UTF8\.GetString\(\[Convert\]::FromBase64String\('[A-Za-z0-9+/]*={0,2}'\)\)\)\)|Close-HnsSession)$/);
  }
});

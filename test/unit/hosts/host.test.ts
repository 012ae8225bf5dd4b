// Host blocks for the PowerShell kinds: strict schemas, and identities without credentials.
import { Host, hostIdentity, hostKey } from "../../../provider/hosts/host";
import { localHost, sshHost, winrmHost } from "../../../sdk/host";

const issues = (v: unknown) => {
  const r = Host.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

test("the SDK helpers build blocks the provider accepts", () => {
  expect(issues(localHost("n0", { executable: "powershell.exe" }))).toEqual([]);
  expect(issues(sshHost("n1", "10.0.0.11", { user: "admin", keyFile: "/k/id" }))).toEqual([]);
  expect(issues(winrmHost("n2", "n2.corp.example", { user: "CORP\\admin", password: "x", useSsl: true, authentication: "Kerberos" }))).toEqual([]);
});

test.each([
  ["ssh with neither key", { kind: "ssh", name: "a", address: "h", user: "u" }, /keyFile: give exactly one of keyFile/],
  ["ssh with both keys", { kind: "ssh", name: "a", address: "h", user: "u", keyFile: "/k", privateKey: "k" }, /give exactly one/],
  ["winrm without a password", { kind: "winrm", name: "a", address: "h", user: "u" }, /password/],
  ["an unknown field", { kind: "local", name: "a", accessKey: "k" }, /accessKey/],
  ["an unknown authentication", { kind: "winrm", name: "a", address: "h", user: "u", password: "p", authentication: "Digest" }, /authentication/],
  ["an address with a command in it", { kind: "ssh", name: "a", address: "h; rm -rf /", user: "u", keyFile: "/k" }, /address: use a host name or an IP address/],
  ["a two-line executable", { kind: "local", name: "a", executable: "pwsh\n-Command evil" }, /executable: is more than one line: give a command name or a path on one line/],
])("refused: %s", (_label, block, why) => {
  expect(issues(block).join("\n")).toMatch(why);
});

test("identity: the address for remote hosts, never a credential, nor how the host is reached", () => {
  const a = Host.parse({ kind: "winrm", name: "a", address: "N2.corp.example", user: "u", password: "one" });
  const b = Host.parse({ kind: "winrm", name: "renamed", address: "n2.corp.example", user: "v", password: "two", port: 5986, timeoutSeconds: 5 });
  expect(hostKey(a)).toBe("winrm:n2.corp.example");
  expect(hostIdentity(a)).toEqual(hostIdentity(b));
  expect(JSON.stringify(hostIdentity(a))).not.toContain("one");
  expect(hostKey(Host.parse({ kind: "local", name: "n0" }))).toBe("local:n0");
  expect(hostIdentity(Host.parse({ kind: "ssh", name: "a", address: "h1", user: "u", privateKey: "KEY" }))).toEqual({ kind: "ssh", key: "ssh:h1" });
});

test.each([
  ["plain HTTP", { useSsl: false }, ["useSsl: WinRM over plain HTTP"]],
  ["any certificate", { skipCaCheck: true }, ["skipCaCheck: skipCaCheck accepts any certificate"]],
  ["any certificate name", { skipCnCheck: true }, ["skipCnCheck: skipCnCheck accepts a certificate issued for another machine"]],
  ["all three", { useSsl: false, skipCaCheck: true, skipCnCheck: true }, ["useSsl:", "skipCaCheck:", "skipCnCheck:"]],
])("insecure WinRM (%s) is refused, naming the field and both fixes; allowInsecure lets it through", (_label, change, starts) => {
  const block = { kind: "winrm", name: "a", address: "h", user: "u", password: "p", ...change };
  const found = issues(block);
  expect(found.map((f, i) => f.startsWith(starts[i]))).toEqual(starts.map(() => true));
  for (const f of found) expect(f).toMatch(/use HTTPS with a certificate .* or set allowInsecure: true to accept the risk/);
  expect(issues({ ...block, allowInsecure: true })).toEqual([]);
  expect(issues({ ...block, allowInsecure: false })).toEqual(found);
});

test("HTTPS with checked certificates needs no allowInsecure", () => {
  expect(issues({ kind: "winrm", name: "a", address: "h", user: "u", password: "p", useSsl: true, skipCaCheck: false, skipCnCheck: false })).toEqual([]);
});

// SSH hosts: values that PowerShell would turn into ssh options are refused before anything
// starts, and the host's key is checked (strictly, before any credential is offered).
import { mkdirSync, writeFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import * as path from "node:path";
import { isHnsError } from "../../../../provider/vocabulary/errors";
import { Host } from "../../../../provider/hosts/host";
import { PowerShellClient } from "../../../../provider/hosts/powershell";
import { scriptText } from "../../../../provider/hosts/powershell/scripts";
import { dotSourceCommand, functionCall } from "../../../../provider/hosts/powershell/wire";
import { NetworkProvider } from "../../../../provider/resources/network/controller";
import { hostKeyFor, PwshDouble } from "../../../doubles/double";
import { tempDir } from "../../../helpers/tmp";
import { checkResource, errorOf } from "../../../helpers/fixtures";

// Each test starts PowerShell doubles (Node processes); a loaded machine needs more than jest's 5 s.
jest.setTimeout(60_000);

const tmp = tempDir("hns-ssh-");
const dbl = new PwshDouble(tmp.dir);
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nssh-unit-key\n-----END OPENSSH PRIVATE KEY-----";
const ADDRESS = "w5.example";
dbl.acceptCredentials({ [ADDRESS]: { user: "admin", privateKey: KEY } });
const HOST_KEY = hostKeyFor(ADDRESS);
const OTHER_KEY = hostKeyFor("an impostor");
const INJECTED = "admin -oProxyCommand=touch /tmp/pwned";

const open: PowerShellClient[] = [];
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  tmp.cleanup();
});
const client = (host: object) => {
  const c = new PowerShellClient({ kind: "ssh", name: "w5", address: ADDRESS, user: "admin", privateKey: KEY, executable: dbl.executable, ...host }, { retry: { attempts: 2, backoffMs: 1 } });
  open.push(c);
  return c;
};
const issues = (v: unknown) => {
  const r = Host.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("the double opens ssh sessions as PowerShell does", () => {
  test("an unvalidated user becomes extra ssh options: PowerShell joins the ssh arguments and splits them again", async () => {
    const payload = { id: "a1", kind: "ssh", name: "w5", address: ADDRESS, port: null, user: INJECTED, keyFile: path.join(tmp.dir, "no-key"), sshOptions: [] };
    writeFileSync(payload.keyFile, "x", { mode: 0o600 });
    await dbl.run([dotSourceCommand(scriptText("session.ps1")), functionCall("Open-HnsSession", payload)]);
    const ssh = dbl.events().filter((e) => e.event === "ssh").at(-1)!;
    expect(ssh.argv).toEqual(["-i", payload.keyFile, "-l", "admin", "-oProxyCommand=touch", "/tmp/pwned", "-s", ADDRESS, "powershell"]);
    expect(ssh.options).toEqual({ proxycommand: "touch" }); // ssh would run `touch` locally
    expect(ssh.destination).toBe("/tmp/pwned");
  });
});

describe("values that could become ssh options are refused at check", () => {
  test.each([
    ["user", { user: INJECTED }, /^user: must not contain whitespace .*; give the account name alone/],
    ["user", { user: "-oProxyCommand=x" }, /^user: must not start with '-'/],
    ["user", { user: 'admin"x' }, /^user: must not contain quotes/],
    ["user", { user: "admin\u0007" }, /^user: must not contain control characters/],
    ["keyFile", { privateKey: undefined, keyFile: "/keys/id -oProxyCommand=x" }, /^keyFile: must not contain whitespace.*use a path without spaces/],
    ["keyFile", { privateKey: undefined, keyFile: '/k" -oProxyCommand=x "' }, /^keyFile: must not contain/],
    ["knownHostsFile", { knownHostsFile: "-oProxyCommand=x" }, /^knownHostsFile: must not start with '-'/],
    ["address", { address: "-oProxyCommand=x" }, /^address: use a host name or an IP address/],
    ["address", { address: "h -p 1" }, /^address: use a host name or an IP address/],
    ["port", { port: "22 -oProxyCommand=x" }, /^port: /],
  ])("%s: %j", (_field, change, why) => {
    const block = { kind: "ssh", name: "w5", address: ADDRESS, user: "admin", privateKey: KEY, ...change };
    expect(issues(block).join("\n")).toMatch(why);
  });

  test("winrm user and address follow the same grammar", () => {
    expect(issues({ kind: "winrm", name: "w", address: "h", user: "-x", password: "p" }).join()).toMatch(/^user: must not start with '-'/);
    expect(issues({ kind: "winrm", name: "w", address: "-h", user: "u", password: "p" }).join()).toMatch(/^address: /);
    expect(issues({ kind: "winrm", name: "w", address: "h", user: "CORP\\admin", password: "p" })).toEqual([]);
  });

  test("the provider's check names the field and the fix, and no shell is started", async () => {
    const spawned = dbl.spawns().length;
    const r = await checkResource(new NetworkProvider(), { host: { kind: "ssh", name: "w5", address: ADDRESS, user: INJECTED, privateKey: KEY, executable: dbl.executable }, type: "nat", name: "n", __seed: "p/s/Network/n" });
    expect(r.failures).toEqual([expect.objectContaining({ property: "host.user", reason: expect.stringMatching(/whitespace.*give the account name alone/) })]);
    expect(dbl.spawns().length).toBe(spawned);
  });

  test("a client given an unchecked block refuses it before PowerShell starts", async () => {
    const spawned = dbl.spawns().length;
    const e = await errorOf<Error>(client({ user: INJECTED }).version());
    expect(isHnsError(e) && e.code).toBe("InvalidInput");
    expect(String(e?.message)).toMatch(/user: must not contain whitespace/);
    expect(dbl.spawns().length).toBe(spawned);
    expect(dbl.stdin()).not.toContain("ProxyCommand");
  });
});

describe("host keys", () => {
  const lastOpen = () => {
    const ssh = dbl.events().filter((e) => e.event === "ssh").at(-1)!;
    const pid = ssh.pid;
    return { ssh, hostkey: dbl.events().find((e) => e.pid === pid && e.event === "hostkey"), keyfile: dbl.events().find((e) => e.pid === pid && e.event === "keyfile") };
  };

  test("a pinned key that matches opens the session, with strict checking against only the pinned file", async () => {
    expect(await client({ hostKeys: [OTHER_KEY, `${HOST_KEY} root@w5`] }).version()).toEqual({ Major: 15, Minor: 4 });
    const { ssh, hostkey } = lastOpen();
    expect(hostkey).toMatchObject({ verdict: "match" });
    expect(ssh.options).toMatchObject({ stricthostkeychecking: "yes", batchmode: "yes", hostkeyalias: "pulumi-hns-pinned-host", checkhostip: "no" });
    expect((ssh.options as Record<string, string>).userknownhostsfile).toBe((ssh.options as Record<string, string>).globalknownhostsfile);
  });

  test("host key mismatch refused, before any credential is offered", async () => {
    const e = await errorOf<Error>(client({ hostKeys: [OTHER_KEY] }).version());
    expect(isHnsError(e) && e.code).toBe("TransportFailure");
    expect(String(e?.message)).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED.*Host key verification failed/);
    expect(isHnsError(e) && e.fix).toMatch(/pin it in hostKeys or knownHostsFile/);
    const { hostkey, keyfile } = lastOpen();
    expect(hostkey).toMatchObject({ verdict: "mismatch", proceed: false });
    expect(keyfile).toBeUndefined(); // the key was never read, let alone offered
  });

  test("without hostKeys or knownHostsFile, a host missing from the user's known_hosts is refused", async () => {
    const e = await errorOf<Error>(client({}).version());
    expect(String(e?.message)).toMatch(/No ssh-ed25519 host key is known for w5\.example and you have requested strict checking/);
    expect(lastOpen().hostkey).toMatchObject({ verdict: "unknown", proceed: false });
    expect(lastOpen().ssh.options).toEqual({ stricthostkeychecking: "yes", batchmode: "yes" });
  });

  test("without either, the user's own known_hosts decides (hashed names and [host]:port included)", async () => {
    mkdirSync(path.join(dbl.home, ".ssh"), { recursive: true });
    const salt = Buffer.from("0123456789abcdefghij");
    const hashed = `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(`[${ADDRESS}]:2222`).digest("base64")}`;
    writeFileSync(path.join(dbl.home, ".ssh", "known_hosts"), `${ADDRESS} ${OTHER_KEY}\n${hashed} ${HOST_KEY}\n`);
    expect(await client({ port: 2222 }).version()).toEqual({ Major: 15, Minor: 4 });
    expect(lastOpen().hostkey).toMatchObject({ verdict: "match", lookup: `[${ADDRESS}]:2222` });
    // port 22: the plain entry, which holds another key
    expect(String((await errorOf<Error>(client({}).version()))?.message)).toMatch(/Host key verification failed/);
    expect(lastOpen().hostkey).toMatchObject({ verdict: "mismatch" });
  });

  test("knownHostsFile is the only file consulted", async () => {
    const file = path.join(tmp.dir, "pinned_known_hosts");
    writeFileSync(file, `${ADDRESS} ${HOST_KEY}\n`);
    expect(await client({ knownHostsFile: file }).version()).toEqual({ Major: 15, Minor: 4 });
    expect(lastOpen().ssh.options).toMatchObject({ userknownhostsfile: file, globalknownhostsfile: file, stricthostkeychecking: "yes" });
  });

  test.each([
    [["h.example " + HOST_KEY], /hostKeys\.0: the key starts with a host name/],
    [["ssh-dss AAAAB3NzaC1kc3MAAACBAP"], /hostKeys\.0: the key has key type "ssh-dss"/],
    [[`ssh-rsa ${HOST_KEY.split(" ")[1]}`], /hostKeys\.0: the key is not a ssh-rsa key/],
    [["ssh-ed25519 not-base64!"], /hostKeys\.0: the key has no base64 key/],
    // A second line would be a known_hosts entry of its own, trusted for the pinned alias.
    [[`${HOST_KEY}\n@cert-authority * ssh-rsa garbage`], /hostKeys\.0: the key contains a line break/],
    [[`${HOST_KEY}\n* ${HOST_KEY}`], /hostKeys\.0: the key contains a line break/],
    [[`${HOST_KEY}\r`], /hostKeys\.0: the key contains a line break/],
    [[`${HOST_KEY} comment\u007f`], /hostKeys\.0: the key contains a line break/],
  ])("a malformed pinned key is refused at check: %j", (hostKeys, why) => {
    expect(issues({ kind: "ssh", name: "w5", address: ADDRESS, user: "admin", privateKey: KEY, hostKeys }).join("\n")).toMatch(why);
  });

  test("hostKeys and knownHostsFile are exclusive", () => {
    expect(issues({ kind: "ssh", name: "w5", address: ADDRESS, user: "admin", privateKey: KEY, hostKeys: [HOST_KEY], knownHostsFile: "/k" }).join()).toMatch(/knownHostsFile: give hostKeys .* or knownHostsFile/);
  });
});

// Transport faults, injected by the PowerShell double, and what the provider observes.
// Timeouts here are configuration (a 0.3 s call deadline for the hang cases), not assertions.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { PowerShell } from "node-powershell";
import { HResult } from "../../../../provider/vocabulary/errors";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import type { LocalHost } from "../../../../provider/hosts/host";
import { PowerShellClient } from "../../../../provider/hosts/powershell";
import { PwshDouble } from "../../../doubles/double";
import { tempDir } from "../../../helpers/tmp";
import { rejectsWith } from "../../../helpers/fixtures";

// Each test starts PowerShell doubles (Node processes); a loaded machine needs more than jest's 5 s.
jest.setTimeout(60_000);

const tmp = tempDir("hns-faults-");
const dbl = new PwshDouble(tmp.dir);
const open: PowerShellClient[] = [];
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  tmp.cleanup();
});

let n = 0;
/** A fresh host with one network on it; retries without a pause so tests stay quick. */
async function setup(extra: Partial<LocalHost> = {}) {
  const name = `f${++n}`;
  const client = new PowerShellClient({ kind: "local", name, executable: dbl.executable, ...extra }, { retry: { attempts: 3, backoffMs: 1 } });
  open.push(client);
  const hns = new HnsEmulator(dbl.stateFile(name));
  const net = await hns.create("network", { Name: "pods", Type: "L2Bridge", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.1.0.0/24", Routes: [{ NextHop: "10.1.0.1", DestinationPrefix: "0.0.0.0/0" }] }] }] });
  const spawnsOf = () => new Set(dbl.events().filter((e) => e.event === "open" && e.host === name).map((e) => e.pid)).size;
  const callsOf = (op: string) => dbl.calls({ op }).filter((e) => e.host === name).length;
  return { name, client, hns, net, spawnsOf, callsOf };
}

/** Gone, or a zombie nobody reaped yet (an orphan's parent here may be a container's init). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\S+ \(.*\) [ZX]/.test(stat);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" && existsSync("/proc/self")) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("a dropped session (the shell exits mid-call)", () => {
  test("an idempotent call is retried on a new session and succeeds", async () => {
    const { name, client, net, spawnsOf, callsOf } = await setup();
    await client.version(); // session open
    dbl.inject({ mode: "drop", op: "list", host: name });
    const nets = await client.list("network");
    expect(nets.map((x) => x.ID)).toEqual([net.ID]);
    expect(callsOf("list")).toBe(2);
    expect(spawnsOf()).toBe(2); // reconnected once
  });

  test("a create is not resent: a clean ReplyLost error, one call, and the next call reconnects", async () => {
    const { name, client, hns, spawnsOf, callsOf } = await setup();
    dbl.inject({ mode: "drop-after", op: "create", host: name });
    const e = await rejectsWith(client.create("network", { Name: "web", Type: "NAT" }));
    expect(e.code).toBe("ReplyLost");
    expect(e.message).toMatch(new RegExp(`host ${name} \\(local\\): create network: the session dropped`));
    expect(callsOf("create")).toBe(1);
    expect((await hns.list("network")).map((x) => x.Name).sort()).toEqual(["pods", "web"]); // it did apply
    expect((await client.list("network", { Name: "web" })).length).toBe(1);
    expect(spawnsOf()).toBe(2);
  });

  test("an Add modify is not resent; an Update modify is", async () => {
    const { name, client, net, callsOf } = await setup();
    dbl.inject({ mode: "drop", op: "modify", host: name });
    const add = { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: [{ Type: "HostRoute", Settings: {} }] } };
    expect((await rejectsWith(client.modify("network", net.ID!, add))).code).toBe("ReplyLost");
    expect(callsOf("modify")).toBe(1);
    dbl.inject({ mode: "drop", op: "modify", host: name });
    const dns = await client.modify("network", net.ID!, { ResourceType: "DNS", RequestType: "Update", Settings: { ServerList: ["10.1.0.10"] } });
    expect(dns.Dns?.ServerList).toEqual(["10.1.0.10"]);
    expect(callsOf("modify")).toBe(3);
  });

  test("a delete whose reply was lost is resent, and not-found then means done", async () => {
    const { name, client, hns, net, callsOf } = await setup();
    dbl.inject({ mode: "drop-after", op: "delete", host: name });
    await client.delete("network", net.ID!);
    expect(callsOf("delete")).toBe(2);
    expect(await hns.list("network")).toEqual([]);
    // without a lost reply, not-found is reported as it is
    expect((await rejectsWith(client.delete("network", net.ID!))).code).toBe("HCN_E_NETWORK_NOT_FOUND");
  });

  test("a drop while the session opens is retried for any call (nothing was sent)", async () => {
    const { name, client, callsOf, spawnsOf } = await setup();
    dbl.inject({ mode: "drop", op: "open" });
    const made = await client.create("network", { Name: "after-drop", Type: "NAT" });
    expect(made.Name).toBe("after-drop");
    expect(callsOf("create")).toBe(1);
    expect(spawnsOf()).toBeGreaterThanOrEqual(1);
    expect(dbl.events().filter((e) => e.event === "open" && e.host === name).length).toBe(2);
  });
});

describe("a hung call", () => {
  test("a create times out with an error naming the host and the operation", async () => {
    const { name, client, callsOf } = await setup({ timeoutSeconds: 0.3 });
    await client.version();
    dbl.inject({ mode: "hang", op: "create", host: name });
    const e = await rejectsWith(client.create("network", { Name: "slow", Type: "NAT" }));
    expect(e.code).toBe("Timeout");
    expect(e.message).toBe(`host ${name} (local): create network: no answer within 0.3 s; the call may or may not have been applied`);
    expect(callsOf("create")).toBe(1);
  });

  test("a read times out, the hung shell is killed, and the retry on a new session succeeds", async () => {
    const { name, client, net, spawnsOf } = await setup({ timeoutSeconds: 0.3 });
    await client.version();
    const first = dbl.events().find((e) => e.event === "open" && e.host === name)!.pid;
    dbl.inject({ mode: "hang", op: "query", host: name });
    expect((await client.get("network", net.ID!))?.ID).toBe(net.ID);
    expect(spawnsOf()).toBe(2);
    expect(running(first)).toBe(false);
  });
});

describe("unreadable output", () => {
  test("garbage instead of a reply is rejected with a clear error (create, not resent)", async () => {
    const { name, client } = await setup();
    dbl.inject({ mode: "garbage", op: "create", host: name });
    const e = await rejectsWith(client.create("network", { Name: "g", Type: "NAT" }));
    expect(e.code).toBe("TransportFailure");
    expect(e.message).toMatch(/create network: the reply could not be read: no reply line in the output \(\d+ characters of other text\)/);
  });

  test("a reply cut short is rejected; a read is retried and succeeds", async () => {
    const { name, client, net, callsOf } = await setup();
    dbl.inject({ mode: "partial", op: "create", host: name });
    expect((await rejectsWith(client.create("network", { Name: "p", Type: "NAT" }))).message).toMatch(/cut short/);
    dbl.inject({ mode: "partial", op: "query", host: name });
    expect((await client.get("network", net.ID!))?.ID).toBe(net.ID);
    expect(callsOf("query")).toBe(2);
  });

  test("stray stderr text turns the call into an error that quotes it", async () => {
    const { name, client } = await setup();
    dbl.inject({ mode: "stderr", op: "create", host: name, text: "WARNING: the disk is nearly full\n" });
    const e = await rejectsWith(client.create("network", { Name: "s", Type: "NAT" }));
    expect(e.code).toBe("TransportFailure");
    expect(e.message).toMatch(/create network: PowerShell reported an error: WARNING: the disk is nearly full/);
  });
});

describe("HNS error records", () => {
  test.each([
    ["create", HResult.HCN_E_PORT_ALREADY_EXISTS, "HCN_E_PORT_ALREADY_EXISTS"],
    ["create", HResult.HCN_E_NETWORK_ALREADY_EXISTS, "HCN_E_NETWORK_ALREADY_EXISTS"],
    ["delete", HResult.HCN_E_NETWORK_NOT_FOUND, "HCN_E_NETWORK_NOT_FOUND"],
    ["list", HResult.E_ACCESSDENIED, "E_ACCESSDENIED"],
  ])("%s failing with 0x%s maps to %s, not retried", async (op, hresult, code) => {
    const { name, client, net, callsOf } = await setup();
    dbl.inject({ mode: "hresult", op, host: name, hresult });
    const run = op === "create" ? client.create("network", { Name: "x", Type: "NAT" }) : op === "delete" ? client.delete("network", net.ID!) : client.list("network");
    const e = await rejectsWith(run);
    expect(e).toMatchObject({ code, hresult });
    expect(callsOf(op)).toBe(1);
  });

  test("not found on a get (either code) means no object", async () => {
    const { name, client, net } = await setup();
    dbl.inject({ mode: "hresult", op: "query", host: name, hresult: HResult.HCN_E_NETWORK_NOT_FOUND });
    expect(await client.get("network", net.ID!)).toBeUndefined();
    expect(await client.get("network", "6a1f1f4e-0000-4000-8000-000000000001")).toBeUndefined(); // Element not found
  });
});

test("a PowerShell that cannot be started is a clear TransportFailure, tried 3 times", async () => {
  const client = new PowerShellClient({ kind: "local", name: "nopwsh", executable: path.join(tmp.dir, "no-such-pwsh") }, { retry: { attempts: 3, backoffMs: 1 } });
  const e = await rejectsWith(client.version());
  expect(e.code).toBe("TransportFailure");
  expect(e.message).toMatch(/host nopwsh \(local\): read the HNS version: could not open a session: cannot start PowerShell: spawn .*no-such-pwsh ENOENT/);
  expect(client.shellsStarted).toBe(3);
});

test("the double refuses agent calls before the prelude and the agent are loaded", async () => {
  const ps = new PowerShell({ executable: dbl.executable, executableOptions: { "-NoProfile": true, "-NonInteractive": true }, throwOnInvocationError: false });
  try {
    const r = await ps.invoke("Invoke-HnsAgent 'e30='");
    expect(r.hadErrors).toBe(true);
    expect(r.raw).toMatch(/The term 'Invoke-HnsAgent' is not recognized/);
    const other = await ps.invoke("Get-ChildItem C:\\");
    expect(other.raw).toMatch(/not recognized/);
  } finally {
    await ps.dispose();
  }
});

test("an open shell does not keep the provider process alive, and dies with it", async () => {
  const root = path.resolve(__dirname, "../../../..");
  const program = `
    require(${JSON.stringify(path.join(root, "test/doubles/ts-loader.js"))}).registerTypeScript(${JSON.stringify(path.join(root, "node_modules/.cache/pwsh-double"))});
    const { connect } = require(${JSON.stringify(path.join(root, "provider/hosts/connect.ts"))});
    connect({ kind: "local", name: "alive", executable: ${JSON.stringify(dbl.executable)} }).version().then((v) => console.log(JSON.stringify(v)));
  `;
  // Never closed by the program: the process must still end on its own (execFile's timeout is a guard).
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ["-e", program], { timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
  expect(JSON.parse(out)).toEqual({ Major: 15, Minor: 4 });
  const pids = dbl.events().filter((e) => e.event === "open" && e.host === "alive").map((e) => e.pid);
  expect(pids).toHaveLength(1);
  // closed politely at the end (beforeExit), then gone
  expect(dbl.events().some((e) => e.event === "close" && e.host === "alive")).toBe(true);
  expect(running(pids[0])).toBe(false);
});

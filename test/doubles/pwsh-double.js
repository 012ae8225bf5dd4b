#!/usr/bin/env node
/**
 * A stand-in for `pwsh` on machines without Windows. node-powershell spawns it (host block
 * `executable`), it speaks node-powershell's stdin/stdout framing, and it answers the only
 * commands the provider may send — loading session.ps1, Open-HnsSession, Import-HnsAgent,
 * Invoke-HnsAgent, Close-HnsSession, each with a base64 argument — from an HnsEmulator state
 * file per host. Anything else is refused on stderr the way PowerShell refuses an unknown
 * command, so a command built any other way fails the tests.
 *
 * Environment:
 *   PWSH_DOUBLE_STATE_DIR  (required) directory with:
 *     <host>.json          the emulator state of each host (local: the host's name; remote: its address)
 *     double.json          optional {"hosts": {"<address>": {"user", "password"?, "privateKey"?, "hostKey"?}}}:
 *                          the credentials remote hosts accept (others are refused), and an
 *                          ssh host's public key ("<type> <base64>"), checked as OpenSSH does
 *     home/                the user's home (the launcher sets HOME): ~/.ssh/known_hosts
 *     faults/*.json        faults to inject, each taken by exactly one call (see takeFault)
 *     events.log           appended: one JSON line per spawn, session, agent call
 *     stdin-<pid>.log      every line this process read on stdin, verbatim
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");

const root = path.resolve(__dirname, "../..");
require("./ts-loader").registerTypeScript(path.join(root, "node_modules", ".cache", "pwsh-double"));
const { HnsEmulator } = require("../../provider/hosts/emulator");
const { HnsError } = require("../../provider/vocabulary/errors");
const ssh = require("./ssh-model");
// The text the provider sends for a script (encoding.ps1 in front of it), as scripts.ts composes it.
const { scriptText: script } = require("../../provider/hosts/powershell/scripts");

const stateDir = process.env.PWSH_DOUBLE_STATE_DIR;
if (!stateDir) {
  process.stderr.write("pwsh-double: PWSH_DOUBLE_STATE_DIR is not set\n");
  process.exit(64);
}
fs.mkdirSync(stateDir, { recursive: true });

// node-powershell 5.0.1 with the provider's options; anything else means something was added.
const EXPECTED_ARGS = ["-NoLogo", "-NoProfile", "-NonInteractive", "-NoExit", "-Command", "-"];
const args = process.argv.slice(2);

function event(e) {
  fs.appendFileSync(path.join(stateDir, "events.log"), JSON.stringify({ pid: process.pid, ...e }) + "\n");
}
event({ event: "spawn", argv: args });
if (JSON.stringify(args) !== JSON.stringify(EXPECTED_ARGS)) {
  process.stderr.write(`pwsh-double: unexpected arguments ${JSON.stringify(args)}\n`);
  process.exit(64);
}

const stdinLog = fs.openSync(path.join(stateDir, `stdin-${process.pid}.log`), "a");

const B64 = "([A-Za-z0-9+/]*={0,2})";
const MARKER = /^\[Console\]::(Out|Error)\.WriteLine\("([0-9A-Za-z]{16})"\)$/;
const DOT_SOURCE = new RegExp(`^\\. \\(\\[scriptblock\\]::Create\\(\\[Text\\.Encoding\\]::UTF8\\.GetString\\(\\[Convert\\]::FromBase64String\\('${B64}'\\)\\)\\)\\)$`);
const CALL = new RegExp(`^(Open-HnsSession|Import-HnsAgent|Invoke-HnsAgent) '${B64}'$`);

const session = { prelude: false, open: false, agent: false, host: undefined, kind: undefined, keyFile: undefined };
let emulator;
let hung = false;

const { convertFromJson, decodeEncodedValue } = require("./powershell-json");
// What session.ps1 and agent.ps1 get: `... | ConvertFrom-Json` as PowerShell 7 does it, then
// their ConvertFrom-HnsEncodedValue.
const decode = (b64) => decodeEncodedValue(convertFromJson(Buffer.from(b64, "base64").toString("utf8")));
const reply = (id, ok, value) =>
  process.stdout.write(`hns-reply:${Buffer.from(JSON.stringify({ v: 1, id, ok, [ok ? "result" : "error"]: value })).toString("base64")}\n`);
const notRecognized = (name) =>
  process.stderr.write(`${name}: The term '${name}' is not recognized as a name of a cmdlet, function, script file, or executable program.\n`);

function credentials() {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir, "double.json"), "utf8")).hosts ?? {};
  } catch {
    return {};
  }
}

/**
 * Checks what a real host would check, in the order it would, and what only a test can (the
 * key file's mode). For ssh, the session is opened the way PowerShell opens it: the ssh command
 * line is built, joined and split (ssh-model.js), and what ssh makes of it decides: the
 * destination, the host key check against the known_hosts files ssh would read (before any
 * credential leaves), then the user and the key.
 */
function openSession(o) {
  if (o.kind === "local") return { ok: true, host: o.name };
  const fail = (hresult, message) => ({ ok: false, error: { fn: "New-PSSession", hresult, record: null, message } });
  const refuse = (message) => fail(0x80070005, message);
  if (o.kind === "winrm") {
    const want = credentials()[o.address];
    if (!want) return fail(0x80004005, `[${o.address}] Connecting to remote server ${o.address} failed: the host is unknown.`);
    if (o.user !== want.user || o.password !== want.password) return refuse(`[${o.address}] Connecting to remote server ${o.address} failed: Access is denied.`);
    return { ok: true, host: o.address };
  }
  // New-PSSession checks the key file exists before it starts ssh.
  if (o.keyFile && !fs.existsSync(o.keyFile)) return fail(0x80070002, `The key file path ${o.keyFile} was not found.`);
  const list = ssh.powershellSshArguments({ keyFile: o.keyFile, user: o.user, port: o.port, options: (o.sshOptions ?? []).map((x) => [x.name, x.value]), hostName: o.address });
  const argv = ssh.joinAndSplit(list);
  const parsed = ssh.parseSsh(argv);
  event({ event: "ssh", argv, options: parsed.options, destination: parsed.destination ?? null, command: parsed.command });
  const hostName = parsed.destination?.includes("@") ? parsed.destination.slice(parsed.destination.lastIndexOf("@") + 1) : parsed.destination;
  const want = hostName ? credentials()[hostName] : undefined;
  if (!want) return fail(0x80004005, `[${o.address}] An error has occurred which PowerShell cannot handle. ssh: Could not resolve hostname ${hostName}: Name or service not known`);
  {
    const serverKey = want.hostKey ?? ssh.hostKeyFor(hostName);
    const port = parsed.port ?? 22;
    const v = ssh.verifyHostKey(parsed, { hostName, port, serverKey, home: process.env.HOME ?? "/" });
    event({ event: "hostkey", host: hostName, verdict: v.verdict, proceed: v.proceed, lookup: v.lookup });
    if (!v.proceed) {
      const why = v.verdict === "mismatch" ? "WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! " : v.verdict === "revoked" ? "The host key is marked as revoked. " : `No ${serverKey.split(" ")[0]} host key is known for ${v.lookup} and you have requested strict checking. `;
      return fail(0x80004005, `[${o.address}] An error has occurred which PowerShell cannot handle. ${why}Host key verification failed.`);
    }
  }
  const userOf = (u) => (u.split("\\").length === 2 ? `${u.split("\\")[1]}@${u.split("\\")[0]}` : u);
  const keyFile = parsed.identities[0];
  let st;
  try {
    st = fs.statSync(keyFile);
  } catch {
    return refuse(`[${o.address}] ${parsed.user}@${hostName}: Permission denied (publickey).`);
  }
  event({ event: "keyfile", file: keyFile, mode: st.mode & 0o777, dirMode: fs.statSync(path.dirname(keyFile)).mode & 0o777 });
  if (takeFault("open", undefined, "hang")) return { hang: true };
  // OpenSSH refuses a private key others can read; so do we.
  if ((st.mode & 0o077) !== 0) return refuse(`[${o.address}] Permissions for '${keyFile}' are too open.`);
  if (parsed.user !== userOf(want.user) || (want.privateKey !== undefined && fs.readFileSync(keyFile, "utf8").trim() !== want.privateKey.trim())) {
    return refuse(`[${o.address}] ${parsed.user}@${hostName}: Permission denied (publickey).`);
  }
  session.keyFile = keyFile;
  return { ok: true, host: hostName };
}

/**
 * A fault file: {"mode", "op"?, "kind"?, "host"?, "hresult"?}. The first file matching this
 * call is taken by renaming it, which only one process can do.
 */
function takeFault(op, kind, mode) {
  const dir = path.join(stateDir, "faults");
  let names;
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith(".json")).sort();
  } catch {
    return undefined;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    let f;
    try {
      f = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
      continue;
    }
    if ((f.op && f.op !== op) || (f.kind && f.kind !== kind) || (f.host && f.host !== session.host) || (mode && f.mode !== mode)) continue;
    try {
      fs.renameSync(file, `${file}.taken`);
      return f;
    } catch {
      continue; // another process took it
    }
  }
  return undefined;
}

const API = { network: "Network", endpoint: "Endpoint", namespace: "Namespace", loadBalancer: "LoadBalancer", route: "SdnRoute" };
const FN = { version: () => "HNSCall", list: (k) => `HcnEnumerate${API[k]}s`, query: (k) => `HcnOpen${API[k]}`, create: (k) => `HcnCreate${API[k]}`, modify: (k) => `HcnModify${API[k]}`, delete: (k) => `HcnDelete${API[k]}` };

/** What agent.ps1 does with computenetwork.dll, done with the emulator. */
async function hcn(r) {
  switch (r.op) {
    case "version":
      return { Success: true, Output: await emulator.version() };
    case "list": {
      const q = JSON.parse(r.query);
      return emulator.list(r.kind, q.Filter ? JSON.parse(q.Filter) : undefined);
    }
    case "query": {
      const doc = await emulator.get(r.kind, r.objectId);
      if (!doc) throw new HnsError({ code: "ERROR_NOT_FOUND" });
      return doc;
    }
    case "create": {
      const settings = JSON.parse(r.settings);
      if ((settings.ID ?? "00000000-0000-0000-0000-000000000000").toLowerCase() !== r.objectId.toLowerCase()) throw new Error("objectId and settings.ID disagree");
      // A v1-shaped body names its network VirtualNetwork (hcsshim hcn/hcnv1schema_test.go TestV1Endpoint).
      if (r.kind === "endpoint" && String(settings.HostComputeNetwork ?? settings.VirtualNetwork).toLowerCase() !== r.networkId.toLowerCase()) throw new Error("networkId and HostComputeNetwork disagree");
      return emulator.create(r.kind, settings);
    }
    case "modify":
      return emulator.modify(r.kind, r.objectId, JSON.parse(r.settings));
    case "delete":
      await emulator.delete(r.kind, r.objectId);
      return null;
    default:
      throw new Error(`unknown operation ${r.op}`);
  }
}

async function invokeAgent(r) {
  event({ event: "call", host: session.host, op: r.op, kind: r.kind ?? null });
  const fault = takeFault(r.op, r.kind);
  const mode = fault?.mode;
  if (mode === "drop") process.exit(1); // the session dies before the call runs
  if (mode === "hang") return void (hung = true);
  if (mode === "hresult") {
    const hr = fault.hresult >>> 0;
    const record = JSON.stringify({ Success: false, Error: fault.text ?? "Injected failure. ", ErrorCode: hr });
    return reply(r.id, false, { fn: FN[r.op](r.kind), hresult: hr, record, message: null });
  }
  if (mode === "garbage") return void process.stdout.write("Unexpected output: %$#@!\n\u001b[31mnot a reply\u001b[0m\n");
  let outcome;
  try {
    outcome = { ok: true, value: await hcn(r) };
  } catch (e) {
    // The emulator's "lose-reply" fault: the call was applied, then the session died.
    if (e instanceof HnsError && e.code === "ReplyLost") process.exit(1);
    outcome = {
      ok: false,
      value:
        e instanceof HnsError && e.hresult !== undefined
          ? { fn: FN[r.op](r.kind), hresult: e.hresult, record: JSON.stringify(e.record()), message: null }
          : { fn: "agent", hresult: 0x80004005, record: null, message: String(e.message ?? e) },
    };
  }
  if (mode === "drop-after") process.exit(1); // applied, but the reply never leaves the host
  if (mode === "partial") {
    const full = Buffer.from(JSON.stringify({ v: 1, id: r.id, ok: outcome.ok, result: outcome.value })).toString("base64");
    return void process.stdout.write(`hns-reply:${full.slice(0, Math.max(4, Math.floor(full.length / 2) + 1))}\n`);
  }
  if (mode === "stderr") process.stderr.write(fault.text ?? "WARNING: something unrelated went wrong\n");
  reply(r.id, outcome.ok, outcome.value);
}

async function command(line) {
  let m;
  if ((m = DOT_SOURCE.exec(line))) {
    if (Buffer.from(m[1], "base64").toString("utf8") !== script("session.ps1")) return void process.stderr.write("ParserError: not the session prelude\n");
    session.prelude = true;
    return;
  }
  if (line === "Close-HnsSession") {
    if (!session.prelude) return notRecognized("Close-HnsSession");
    event({ event: "close", host: session.host });
    session.open = session.agent = false;
    return;
  }
  if (!(m = CALL.exec(line))) return notRecognized(line.split(/\s/)[0] || line);
  const [, fn, b64] = m;
  if (!session.prelude) return notRecognized(fn);
  const payload = decode(b64);
  switch (fn) {
    case "Open-HnsSession": {
      const opened = openSession(payload);
      if (opened.hang) return void (hung = true); // ssh waits on the host forever
      event({ event: "open", kind: payload.kind, host: opened.host ?? null, ok: opened.ok });
      if (!opened.ok) return reply(payload.id, false, opened.error);
      if (takeFault("open", undefined, "drop")) process.exit(1);
      session.open = true;
      session.kind = payload.kind;
      session.host = opened.host;
      emulator = new HnsEmulator(path.join(stateDir, `${session.host}.json`), { hostName: session.host });
      return reply(payload.id, true, null);
    }
    case "Import-HnsAgent":
      if (!session.open) return void process.stderr.write("Import-HnsAgent: no session\n");
      if (payload.text !== script("agent.ps1")) return void process.stderr.write("Import-HnsAgent: not the agent\n");
      // The key file must be gone once the session is open.
      event({ event: "agent", host: session.host, keyFileLeft: session.keyFile ? fs.existsSync(session.keyFile) : null });
      session.agent = true;
      return reply(payload.id, true, { protocol: Number(/^\$script:AgentProtocol = (\d+)$/m.exec(payload.text)[1]), psVersion: "7.4.6-double" });
    case "Invoke-HnsAgent":
      // In real PowerShell the function exists once the prelude is loaded, but the agent's
      // Invoke-HnsAgentCall does not until Import-HnsAgent ran.
      if (!session.agent) return notRecognized("Invoke-HnsAgentCall");
      return invokeAgent(payload);
  }
}

// Lines are handled strictly in order: a marker after a command must follow its output.
let chain = Promise.resolve();
const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on("line", (line) => {
  fs.writeSync(stdinLog, line + "\n");
  chain = chain.then(async () => {
    if (hung) return;
    const marker = MARKER.exec(line);
    if (marker) return void (marker[1] === "Out" ? process.stdout : process.stderr).write(`${marker[2]}\n`);
    try {
      await command(line);
    } catch (e) {
      process.stderr.write(`pwsh-double: ${e && e.message}\n`);
    }
  });
});
// pwsh -Command - ends when its stdin closes; so does the double.
input.on("close", () => void chain.then(() => process.exit(0)));

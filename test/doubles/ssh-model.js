/**
 * What `New-PSSession -HostName` does with its parameters before a byte reaches the network,
 * for the PowerShell double: the ssh command line PowerShell builds, the argv ssh ends up
 * with, and OpenSSH's host key check. Sources:
 * - PowerShell's SSHConnectionInfo.StartSSHProcess (src/System.Management.Automation/engine/
 *   remoting/common/RunspaceConnectionInfo.cs, https://github.com/PowerShell/PowerShell): it adds
 *   `-i "<KeyFilePath>"`, `-l <user>` (DOMAIN\user becomes user@DOMAIN), `-p <port>`,
 *   `-o <key>=<value>` per -Options entry and `-s <host> <subsystem>` as single strings, then on
 *   Unix joins them with spaces and splits again (ParseArgv: a word starting with `"` runs to
 *   the next `"`, any other word to the next space); on Windows the joined text is the
 *   CreateProcess command line, which ssh.exe splits.
 * - ssh(1) and ssh_config(5) (https://man.openbsd.org/ssh, https://man.openbsd.org/ssh_config):
 *   option letters, first value wins, known_hosts format (plain, wildcard, negated and hashed
 *   names, [host]:port for other ports, @revoked), StrictHostKeyChecking, HostKeyAlias.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** PowerShell's ArgumentList for ssh, one string per parameter, values spliced in. */
function powershellSshArguments({ keyFile, user, port, options, hostName, subsystem = "powershell" }) {
  const list = [];
  if (keyFile) list.push(`-i "${keyFile}"`);
  if (user) {
    const parts = user.split("\\");
    list.push(parts.length === 2 ? `-l ${parts[1]}@${parts[0]}` : `-l ${user}`);
  }
  if (port) list.push(`-p ${port}`);
  for (const [key, value] of options ?? []) list.push(`-o ${key}=${value}`);
  list.push(`-s ${hostName.replace(/^\[+/, "").replace(/\]+$/, "")} ${subsystem}`);
  return list;
}

/** PowerShell's Unix ParseArgv: join with spaces, split again. */
function joinAndSplit(list) {
  const text = list.join(" ").trim();
  const argv = [];
  for (let i = 0; i < text.length; ) {
    let start = i;
    if (text[i] === '"') {
      while (++i < text.length && text[i] !== '"');
      if (start < text.length - 1) start++;
    } else {
      while (++i < text.length && text[i] !== " ");
    }
    argv.push(text.slice(start, i));
    while (++i < text.length && text[i] === " ");
  }
  return argv;
}

/** ssh's getopt string (OpenSSH ssh.c): letters followed by ':' take a value. */
const SSH_OPTS = "1246ab:c:e:fgi:kl:m:no:p:qstvxAB:CD:E:F:GI:J:KL:MNO:P:Q:R:S:TVw:W:XYy";

/** The options ssh acts on; for each, the first value given wins, as in ssh. */
function parseSsh(argv) {
  const takes = new Set([...SSH_OPTS.matchAll(/([A-Za-z0-9]):/g)].map((m) => m[1]));
  const out = { user: undefined, port: undefined, identities: [], options: {}, subsystem: false, flags: [], destination: undefined, command: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    for (let j = 1; j < a.length; j++) {
      const letter = a[j];
      if (!takes.has(letter)) {
        out.flags.push(letter);
        if (letter === "s") out.subsystem = true;
        continue;
      }
      const value = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
      if (letter === "l") out.user ??= value;
      else if (letter === "p") out.port ??= Number(value);
      else if (letter === "i") out.identities.push(value);
      else if (letter === "o") {
        const m = /^([A-Za-z]+)[=\s]\s*(.*)$/.exec(value ?? "");
        if (m) out.options[m[1].toLowerCase()] ??= m[2];
      } else out.flags.push(`${letter}=${value}`);
      break;
    }
  }
  out.destination = argv[i];
  out.command = argv.slice(i + 1);
  return out;
}

function hashedNameMatches(pattern, name) {
  const [, , salt, hash] = pattern.split("|");
  if (!salt || !hash) return false;
  return crypto.createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64") === hash;
}

function patternMatches(pattern, name) {
  if (pattern.startsWith("|1|")) return hashedNameMatches(pattern, name);
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return re.test(name);
}

function namesMatch(field, name) {
  let hit = false;
  for (const p of field.split(",")) {
    if (p.startsWith("!")) {
      if (patternMatches(p.slice(1), name)) return false;
    } else if (patternMatches(p, name)) hit = true;
  }
  return hit;
}

function knownHostsEntries(files) {
  const entries = [];
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith("#")) continue;
      const f = line.split(/\s+/);
      const marker = f[0].startsWith("@") ? f.shift() : undefined;
      if (f.length >= 3) entries.push({ marker, names: f[0], type: f[1], blob: f[2] });
    }
  }
  return entries;
}

/**
 * OpenSSH's verdict on the server's key before any authentication: "match", "mismatch",
 * "revoked", "unknown"; and whether ssh goes on to authenticate.
 */
function verifyHostKey(ssh, { hostName, port, serverKey, home }) {
  const opt = (k) => ssh.options[k.toLowerCase()];
  const strict = (opt("StrictHostKeyChecking") ?? "ask").toLowerCase();
  const files = (value, fallback) =>
    (value ?? fallback)
      .split(/\s+/)
      .filter((f) => f && f !== "none")
      .map((f) => (f.startsWith("~/") ? path.join(home, f.slice(2)) : f));
  const all = [...files(opt("UserKnownHostsFile"), "~/.ssh/known_hosts ~/.ssh/known_hosts2"), ...files(opt("GlobalKnownHostsFile"), "/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2")];
  const lookup = opt("HostKeyAlias") ?? (port === 22 ? hostName : `[${hostName}]:${port}`);
  const [type, blob] = serverKey.trim().split(/\s+/);
  const mine = knownHostsEntries(all).filter((e) => namesMatch(e.names, lookup));
  let verdict = "unknown";
  if (mine.some((e) => e.marker === "@revoked" && e.blob === blob)) verdict = "revoked";
  else if (mine.some((e) => !e.marker && e.type === type && e.blob === blob)) verdict = "match";
  else if (mine.some((e) => !e.marker && e.type === type)) verdict = "mismatch";
  // With no terminal, "ask" cannot ask: ssh refuses as "yes" does.
  const proceed = verdict === "match" || (verdict === "unknown" && ["no", "off", "accept-new"].includes(strict)) || (verdict === "mismatch" && ["no", "off"].includes(strict));
  return { verdict, proceed, lookup, files: all };
}

/** SSH wire string: uint32 length, then the bytes. */
function sshString(bytes) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** A well-formed ed25519 public key line for a host, derived from a seed: what its sshd presents. */
function hostKeyFor(seed) {
  const point = crypto.createHash("sha256").update(`host key of ${seed}`).digest();
  return `ssh-ed25519 ${Buffer.concat([sshString(Buffer.from("ssh-ed25519")), sshString(point)]).toString("base64")}`;
}

module.exports = { powershellSshArguments, joinAndSplit, parseSsh, verifyHostKey, hostKeyFor };

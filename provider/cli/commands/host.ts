/**
 * `hns-plan host`: what is on one host, read the way Get-HnsNetwork / Get-HnsEndpoint show it,
 * from an emulated host (its state file and journal, through the emulator, so the view is the
 * current one whatever the files hold) or a real one through the PowerShell transport (a host
 * block file). On the emulator it also creates and deletes objects outside any stack, for
 * trying `adopt`, `pulumi import` and `hns-plan doctor` against objects a stack did not make.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { HnsError, issuesText } from "../../vocabulary/errors";
import { NETWORK_TYPES, NETWORK_TYPE_TRAITS } from "../../vocabulary/facts/network-types";
import { HNS_DOCUMENT_SCHEMAS, HNS_KINDS, sameGuid, type HnsClient, type HnsDocument, type HnsKind } from "../../hosts/client";
import { connect } from "../../hosts/connect";
import { HnsEmulator } from "../../hosts/emulator";
import { DEFAULT_EMULATOR_DIR, EMULATOR_DIR_ENV, emulatorStateFile, Host } from "../../hosts/host";
import { InputError, readBounded } from "../../topology-files";
import type { Terminal } from "../terminal";
import { EXIT, type Command, type Values } from "./command";

const ACTIONS = ["list", "show", "create", "delete"] as const;
type Action = (typeof ACTIONS)[number];

export const host: Command = {
  name: "host",
  summary: "list and show the networks, endpoints, namespaces, load balancers and routes on one host (emulated, or real through the transport); create and delete them on the emulator",
  usage: `hns-plan host <list|show|create|delete> [options]
  list [kind]                         every object, or those of one kind (${HNS_KINDS.join(", ")})
  show <id|name>                      one object's whole HNS document
  create network --name <n> [--type nat] [--prefix <cidr>] [--gateway <ip>]      (emulator only)
  create endpoint --network <id|name> --name <n> [--ip <address>]                (emulator only)
  delete <id|name>                    (emulator only)
the host:
  --emulator <name>     an emulated host: its state file <dir>/<name>.json (the host block's name)
  --dir <path>          the emulator's state directory (default $${EMULATOR_DIR_ENV}, else ${DEFAULT_EMULATOR_DIR} here)
  --host-file <path>    a host block in JSON or YAML, as a program gives it ({ kind: ssh, name, address, ... }),
                        reached through the PowerShell transport (a kind: emulator block works too)
  --connect             contact the local, ssh or winrm host the --host-file names (and start its
                        executable); without it, the block is shown and nothing is started
  --json                JSON on stdout`,
  options: {
    emulator: { type: "string" },
    dir: { type: "string" },
    "host-file": { type: "string" },
    connect: { type: "boolean" },
    json: { type: "boolean" },
    name: { type: "string" },
    type: { type: "string" },
    prefix: { type: "string" },
    gateway: { type: "string" },
    network: { type: "string" },
    ip: { type: "string" },
  },
  async run(values, positionals, term) {
    const [action, ...args] = positionals;
    if (!isAction(action)) throw new InputError(action ? `unknown action "${action}": use ${ACTIONS.join(", ")}` : `give an action: ${ACTIONS.join(", ")}`);
    const target = openHost(values, action !== "create");
    try {
      return await ACTION_RUN[action](target, args, values, term);
    } catch (e) {
      // What the host (or reaching it) refused is the user's to fix, not a bug of hns-plan.
      if (e instanceof HnsError && !(e instanceof InputError)) throw new InputError(e.message, e.fix);
      throw e;
    } finally {
      await target.client.close();
    }
  },
};

interface Target {
  client: HnsClient;
  /** Only the emulator may be changed from here. */
  emulated: boolean;
  label: string;
}

/** A host block is a few lines; more is not one. */
const HOST_FILE_MAX_BYTES = 64 * 1024;

const isAction = (a: string | undefined): a is Action => (ACTIONS as readonly string[]).includes(a ?? "");

function openHost(values: Values, mustExist: boolean): Target {
  const file = values["host-file"] as string | undefined;
  const name = values.emulator as string | undefined;
  if (file && name) throw new InputError("give either --emulator or --host-file, not both");
  if (file) {
    let block: unknown;
    try {
      block = parseYaml(readBounded(file, HOST_FILE_MAX_BYTES, () => new InputError(`${file} is larger than ${HOST_FILE_MAX_BYTES} bytes, more than a host block`, "give a file holding one host block")));
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const parsed = Host.safeParse(block);
    if (!parsed.success) throw new InputError(`${file}: ${issuesText(parsed.error, { at: "host", limit: 1 })}`);
    // A file names the program to start and the machine to reach: the user confirms both (issue 22).
    if (parsed.data.kind !== "emulator" && !values.connect) {
      const exe = parsed.data.executable ? `, started through ${JSON.stringify(parsed.data.executable)}` : "";
      throw new InputError(`${file} names a ${parsed.data.kind} host "${parsed.data.name}"${exe}: nothing was started or contacted`, "add --connect to contact it");
    }
    return { client: connect(parsed.data), emulated: parsed.data.kind === "emulator", label: `${parsed.data.kind} host "${parsed.data.name}"` };
  }
  if (!name) throw new InputError(`name the host: --emulator <name> (state files here: ${stateFilesIn(values.dir as string | undefined)}) or --host-file <path>`);
  const stateFile = emulatorStateFile({ kind: "emulator", name, ...(values.dir ? { stateDir: values.dir as string } : {}) });
  // Reading a host that does not exist would create an empty one: say where we looked instead.
  if (mustExist && !fs.existsSync(stateFile)) {
    throw new InputError(`no emulated host "${name}": ${stateFile} does not exist (state files here: ${stateFilesIn(values.dir as string | undefined)}); run from the project directory or give --dir`);
  }
  return { client: new HnsEmulator(stateFile, { hostName: name }), emulated: true, label: `emulator "${name}" (${path.relative(process.cwd(), stateFile) || stateFile})` };
}

function stateFilesIn(dir: string | undefined): string {
  const d = path.resolve(dir ?? process.env[EMULATOR_DIR_ENV] ?? DEFAULT_EMULATOR_DIR);
  const names = fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)) : [];
  return names.length ? `${names.join(", ")} in ${d}` : `none in ${d}`;
}

type Document = Record<string, unknown> & { ID: string; Name?: string };

const ACTION_RUN: Record<Action, (t: Target, args: string[], values: Values, term: Terminal) => Promise<number>> = {
  async list(t, args, values, term) {
    const kinds = args.length ? args.map(kindOf) : [...HNS_KINDS];
    const all = Object.fromEntries(await Promise.all(kinds.map(async (k) => [k, (await t.client.list(k)) as Document[]] as const)));
    if (values.json) {
      term.out(JSON.stringify(all, null, 2));
      return EXIT.ok;
    }
    term.out(t.label);
    for (const k of kinds) {
      const docs = all[k];
      if (!docs.length && args.length === 0) continue;
      term.out(`${k}s (${docs.length})`);
      for (const d of docs) term.out(`  ${d.ID}  ${d.Name ?? "(no name)"}${summary(k, d, all.network)}`);
    }
    return EXIT.ok;
  },

  async show(t, args, values, term) {
    const [which] = args;
    if (!which) throw new InputError("show needs an ID or a name");
    const found = await find(t.client, which);
    term.out(JSON.stringify(values.json ? found : found.doc, null, 2));
    return EXIT.ok;
  },

  async create(t, args, values, term) {
    if (!t.emulated) throw new InputError("create changes only an emulated host (--emulator): on a real host use New-HnsNetwork / New-HnsEndpoint, or a stack");
    const [kind] = args;
    const name = values.name as string | undefined;
    if (!name) throw new InputError(`create ${kind ?? "network"} needs --name`);
    let doc: Document;
    if (kind === "network") {
      const type = (values.type as string | undefined) ?? "nat";
      if (!(NETWORK_TYPES as readonly string[]).includes(type)) throw new InputError(`--type must be one of ${NETWORK_TYPES.join(", ")}, not "${type}"`);
      const prefix = values.prefix as string | undefined;
      const gateway = values.gateway as string | undefined;
      if (gateway && !prefix) throw new InputError("--gateway needs --prefix");
      doc = (await t.client.create("network", hcnDocument("network", {
        Name: name,
        Type: NETWORK_TYPE_TRAITS[type as (typeof NETWORK_TYPES)[number]].hns,
        SchemaVersion: { Major: 2, Minor: 0 },
        ...(prefix ? { Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: prefix, ...(gateway ? { Routes: [{ NextHop: gateway, DestinationPrefix: "0.0.0.0/0" }] } : {}) }] }] } : {}),
      }))) as Document;
    } else if (kind === "endpoint") {
      const network = values.network as string | undefined;
      if (!network) throw new InputError("create endpoint needs --network <id|name>");
      const net = await find(t.client, network, "network");
      const ip = values.ip as string | undefined;
      doc = (await t.client.create("endpoint", hcnDocument("endpoint", {
        Name: name,
        HostComputeNetwork: net.doc.ID,
        SchemaVersion: { Major: 2, Minor: 0 },
        ...(ip ? { IpConfigurations: [{ IpAddress: ip }] } : {}),
      }))) as Document;
    } else throw new InputError(`create takes network or endpoint, not "${kind ?? ""}"`);
    if (values.json) term.out(JSON.stringify(doc, null, 2));
    else term.out(`created ${kind} ${doc.Name} ${doc.ID} on ${t.label}`);
    return EXIT.ok;
  },

  async delete(t, args, values, term) {
    if (!t.emulated) throw new InputError("delete changes only an emulated host (--emulator): on a real host use Remove-HnsNetwork / Remove-HnsEndpoint, or the stack that owns it");
    const [which] = args;
    if (!which) throw new InputError("delete needs an ID or a name");
    const found = await find(t.client, which);
    await t.client.delete(found.kind, found.doc.ID);
    if (values.json) term.out(JSON.stringify({ deleted: found }, null, 2));
    else term.out(`deleted ${found.kind} ${found.doc.Name ?? ""} ${found.doc.ID} from ${t.label}`);
    return EXIT.ok;
  },
};

/** The HCN document the options make, checked against the schema the hosts' replies are read with. */
function hcnDocument<K extends "network" | "endpoint">(kind: K, doc: Record<string, unknown>): HnsDocument<K> {
  const r = HNS_DOCUMENT_SCHEMAS[kind].safeParse(doc);
  if (!r.success) throw new InputError(`the ${kind} these options make is not a valid HCN document: ${issuesText(r.error, { at: "(document)", limit: 1 })}`);
  return r.data as HnsDocument<K>;
}

function kindOf(word: string): HnsKind {
  const k = HNS_KINDS.find((x) => x.toLowerCase() === word.toLowerCase().replace(/s$/, "").replace(/-/g, ""));
  if (!k) throw new InputError(`unknown kind "${word}": use ${HNS_KINDS.join(", ")}`);
  return k;
}

/** An object by ID (any kind) or by name (unique across kinds); the message lists candidates otherwise. */
async function find(client: HnsClient, which: string, only?: HnsKind): Promise<{ kind: HnsKind; doc: Document }> {
  const kinds = only ? [only] : [...HNS_KINDS];
  const matches: { kind: HnsKind; doc: Document }[] = [];
  for (const kind of kinds) for (const doc of (await client.list(kind)) as Document[]) if (sameGuid(doc.ID, which) || doc.Name === which) matches.push({ kind, doc });
  if (matches.length === 1) return matches[0];
  if (!matches.length) throw new InputError(`no ${only ?? "object"} with ID or name "${which}" on ${client.hostName}: see npx hns-plan host list`);
  throw new InputError(`"${which}" names ${matches.length} objects (${matches.map((m) => `${m.kind} ${m.doc.ID}`).join(", ")}): give the ID`);
}

/** The columns Get-HnsNetwork / Get-HnsEndpoint users look at first. */
function summary(kind: HnsKind, d: Document, networks: Document[] = []): string {
  const parts: string[] = [];
  if (kind === "network") {
    // HCN's default network type is NAT (hcsshim hcnnetwork.go), and a document may leave it out.
    parts.push(String(d.Type ?? "NAT"));
    const subnets = ((d.Ipams as { Subnets?: { IpAddressPrefix?: string }[] }[] | undefined) ?? []).flatMap((i) => i.Subnets ?? []).map((s) => s.IpAddressPrefix);
    if (subnets.length) parts.push(subnets.join(","));
  } else if (kind === "endpoint") {
    const net = networks.find((n) => sameGuid(n.ID, d.HostComputeNetwork as string));
    parts.push(`on ${net?.Name ?? d.HostComputeNetwork ?? "?"}`);
    const ips = ((d.IpConfigurations as { IpAddress?: string }[] | undefined) ?? []).map((c) => c.IpAddress);
    if (ips.length) parts.push(ips.join(","));
    if (d.MacAddress) parts.push(String(d.MacAddress));
  } else if (kind === "loadBalancer") {
    const vips = (d.FrontendVIPs as string[] | undefined) ?? [];
    if (vips.length) parts.push(`VIP ${vips.join(",")}`);
  }
  return parts.length ? `  ${parts.join("  ")}` : "";
}

// The agent's C# (agent.ps1's Add-Type block) compiled with Mono's mcs and called for real
// through its P/Invoke declarations, against a native stand-in for computenetwork.dll built
// here with cc. Each check has a negative control: a deliberately broken copy of the C# that
// the same check must reject.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { scriptText } from "../../provider/hosts/powershell/scripts";
import { tempDir } from "../helpers/tmp";
import { ADD_TYPE_LANGVERSION, agentCSharp, buildAgent, buildStandin, requireTools, type AgentBuild } from "./build";
import { compareDeclarations, HCN_SIGNATURES, readDeclarations, stringFreeProblems } from "./hcn-signatures";
import { MonoAgent, monoAgentClient } from "./mono-agent";
import { StandinServer } from "./standin-server";

// Compiling and starting Mono takes a second or two per variant on a slow machine.
jest.setTimeout(60_000);

const tmp = tempDir("hns-native-");
afterAll(tmp.cleanup);

const CSHARP = agentCSharp(scriptText("agent.ps1"));
let standin: string;
let variants = 0;

beforeAll(() => {
  requireTools();
  standin = buildStandin(path.join(tmp.dir, "lib"));
});

/** Compiles `csharp`, starts it under Mono on a fresh emulated host, runs `body`, stops it. */
async function withAgent<T>(csharp: string, body: (client: ReturnType<typeof monoAgentClient>, server: StandinServer) => Promise<T>): Promise<T> {
  const dir = path.join(tmp.dir, `v${++variants}`);
  const build: AgentBuild = buildAgent(dir, csharp, standin);
  const server = new StandinServer(new HnsEmulator(path.join(dir, "host.json")), path.join(dir, "hcn.sock"));
  await server.listen();
  const agent = new MonoAgent(build, server);
  try {
    return await body(monoAgentClient(agent), server);
  } finally {
    await agent.close();
    await server.close();
  }
}

const NET = "6a1f0c2e-0000-4000-8000-00000000aa01";
const nat = (id: string, name: string, prefix: string) => ({
  ID: id,
  Name: name,
  Type: "NAT",
  Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: prefix, Routes: [{ NextHop: prefix.replace(/0\/24$/, "1"), DestinationPrefix: "0.0.0.0/0" }] }] }],
});

/** Create, read, list, modify and delete one object of every kind, plus the version; returns what it saw. */
async function everyKind(client: ReturnType<typeof monoAgentClient>): Promise<string[]> {
  const seen: string[] = [];
  const v = await client.version();
  seen.push(`version ${v.Major}.${v.Minor}`);
  // A name outside Latin-1 and outside the BMP: only UTF-16 both ways brings it back unchanged.
  const net = await client.create("network", nat(NET, "réseau-网络-🧪", "10.231.7.0/24"));
  seen.push(`network ${net.ID} ${net.Name}`);
  const dns = await client.modify("network", NET, { ResourceType: "DNS", RequestType: "Update", Settings: { ServerList: ["10.231.7.53"] } });
  seen.push(`network dns ${dns.Dns?.ServerList?.join(",")}`);
  const ep = await client.create("endpoint", { Name: "ep-1", HostComputeNetwork: NET, IpConfigurations: [{ IpAddress: "10.231.7.10" }] });
  seen.push(`endpoint on ${ep.HostComputeNetwork} at ${ep.IpConfigurations?.[0]?.IpAddress}`);
  await client.modify("endpoint", ep.ID!, { ResourceType: "Policy", RequestType: "Add", Settings: { Policies: [{ Type: "PortMapping", Settings: { Protocol: 6, InternalPort: 80, ExternalPort: 18080 } }] } });
  seen.push(`endpoint policies ${(await client.get("endpoint", ep.ID!))!.Policies!.length}`);
  const ns = await client.create("namespace", { Type: "Host" });
  await client.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: ep.ID } });
  seen.push(`namespace resources ${(await client.get("namespace", ns.ID!))!.Resources!.length}`);
  const lb = await client.create("loadBalancer", { HostComputeEndpoints: [ep.ID!], FrontendVIPs: ["10.96.0.10"], PortMappings: [{ Protocol: 6, InternalPort: 80, ExternalPort: 80 }] });
  const lb2 = await client.modify("loadBalancer", lb.ID!, { ...lb, PortMappings: [{ Protocol: 6, InternalPort: 8080, ExternalPort: 80 }] });
  seen.push(`loadBalancer internal port ${lb2.PortMappings![0].InternalPort}`);
  const route = await client.create("route", { HostComputeEndpoints: [ep.ID!], Setting: [{ DestinationPrefix: "10.1.0.0/16", NextHop: "10.231.7.1" }] });
  const refused = await client.modify("route", route.ID!, {}).then(
    () => "modified",
    (e: { code?: string }) => e.code,
  );
  seen.push(`route modify: ${refused}`);
  for (const kind of ["network", "endpoint", "namespace", "loadBalancer", "route"] as const) seen.push(`${kind}s listed: ${(await client.list(kind)).length}`);
  seen.push(`missing network: ${await client.get("network", "6a1f0c2e-0000-4000-8000-00000000ffff")}`);
  await client.delete("route", route.ID!);
  await client.delete("loadBalancer", lb.ID!);
  await client.delete("endpoint", ep.ID!);
  // HNS deletes a network with its endpoints (hcsshim hcn/hnsv1_test.go TestEndpointStatsAll).
  const left = await client.create("endpoint", { Name: "ep-2", HostComputeNetwork: NET });
  await client.modify("namespace", ns.ID!, { ResourceType: "Endpoint", RequestType: "Add", Settings: { EndpointId: left.ID } });
  await client.delete("network", NET);
  seen.push(`after the network: endpoints ${(await client.list("endpoint")).length}, namespace resources ${(await client.get("namespace", ns.ID!))!.Resources!.length}`);
  await client.delete("namespace", ns.ID!);
  seen.push(`networks left: ${(await client.list("network")).length}`);
  return seen;
}

const EXPECTED = [
  "version 15.4",
  `network ${NET.toUpperCase()} réseau-网络-🧪`,
  "network dns 10.231.7.53",
  `endpoint on ${NET.toUpperCase()} at 10.231.7.10`,
  "endpoint policies 1",
  "namespace resources 1",
  "loadBalancer internal port 8080",
  "route modify: HCN_E_REQUEST_UNSUPPORTED",
  "networks listed: 1",
  "endpoints listed: 1",
  "namespaces listed: 2", // the host's default namespace and ours
  "loadBalancers listed: 1",
  "routes listed: 1",
  "missing network: undefined",
  "after the network: endpoints 0, namespace resources 0",
  "networks left: 0",
];

describe("declarations against HCN's documented signatures", () => {
  test("every HCN function the agent calls is declared with the documented parameter kinds, DLL and CharSet.Unicode", () => {
    const declared = readDeclarations(CSHARP);
    expect(declared.map((d) => d.name).sort()).toEqual(Object.keys(HCN_SIGNATURES).sort());
    expect(compareDeclarations(declared)).toEqual([]);
  });

  test.each([
    ["a GUID passed by value", (c: string) => c.replace("HcnOpenNetwork(ref Guid id", "HcnOpenNetwork(Guid id"), /HcnOpenNetwork: parameters \(Guid/],
    ["two parameters swapped", (c: string) => c.replace("HcnModifyEndpoint(IntPtr handle, string settings", "HcnModifyEndpoint(string settings, IntPtr handle"), /HcnModifyEndpoint: parameters/],
    ["8-bit strings", (c: string) => c.replace("const CharSet W = CharSet.Unicode;", "const CharSet W = CharSet.Ansi;"), /not CharSet\.Unicode/],
    ["a function left out", (c: string) => c.replace(/^.*static extern uint HcnDeleteSdnRoute\(.*$/m, ""), /HcnDeleteSdnRoute: not declared/],
    ["the wrong DLL", (c: string) => c.replace('[DllImport("vmcompute.dll", CharSet = W)]', "[DllImport(Dll, CharSet = W)]"), /HNSCall: imported from computenetwork\.dll/],
  ])("negative control: %s is reported", (_label, breakIt, problem) => {
    const broken = breakIt(CSHARP);
    expect(broken).not.toBe(CSHARP);
    expect(compareDeclarations(readDeclarations(broken)).join("\n")).toMatch(problem);
  });

  // Under Mono FreeCoTaskMem and FreeHGlobal are both free(), so the run below cannot tell them apart.
  test("returned strings are freed only with Marshal.FreeCoTaskMem (HCN allocates them with CoTaskMemAlloc)", () => {
    expect(stringFreeProblems(CSHARP)).toEqual([]);
  });

  test.each([
    ["Marshal.FreeHGlobal (LocalFree on Windows)", (c: string) => c.replace("finally { Marshal.FreeCoTaskMem(p); }", "finally { Marshal.FreeHGlobal(p); }"), /Marshal\.FreeHGlobal\(\) releases memory[\s\S]*never called/],
    ["a P/Invoke LocalFree", (c: string) => c.replace("finally { Marshal.FreeCoTaskMem(p); }", "finally { LocalFree(p); }"), /LocalFree\(\) releases memory/],
    ["a second release beside FreeCoTaskMem", (c: string) => c.replace("finally { Marshal.FreeCoTaskMem(p); }", "finally { Marshal.FreeCoTaskMem(p); Marshal.FreeBSTR(p); }"), /Marshal\.FreeBSTR\(\) releases memory/],
  ])("negative control: strings freed with %s are reported", (_label, breakIt, problem) => {
    const broken = breakIt(CSHARP);
    expect(broken).not.toBe(CSHARP);
    expect(stringFreeProblems(broken).join("\n")).toMatch(problem);
  });

  test("the stand-in exports every documented function (nm on the built library)", () => {
    const symbols = execFileSync("nm", ["-D", "--defined-only", standin], { encoding: "utf8" });
    for (const name of Object.keys(HCN_SIGNATURES)) expect(symbols).toMatch(new RegExp(`\\sT ${name}$`, "m"));
  });
});

describe(`the agent's C# is C# ${ADD_TYPE_LANGVERSION}, what Add-Type compiles on Windows PowerShell 5.1`, () => {
  test("mcs compiles it at that language version", () => {
    expect(() => buildAgent(path.join(tmp.dir, `lang${++variants}`), CSHARP, standin)).not.toThrow();
  });

  // Each is fine for mcs's default language version and for PowerShell 7's Add-Type, not for 5.1's.
  test.each([
    ["an interpolated string", (c: string) => c.replace('throw new ArgumentException("unknown HNS kind: " + kind);', 'throw new ArgumentException($"unknown HNS kind: {kind}");'), /interpolated strings/],
    ["the null-conditional operator", (c: string) => c.replace("if (p == IntPtr.Zero) return null;", "if (p == IntPtr.Zero) return null;\n            string probe = ((object)p)?.ToString();"), /null propagating operator/],
    ["nameof", (c: string) => c.replace('"unknown HNS kind: " + kind', 'nameof(kind) + ": " + kind'), /nameof operator/],
  ])("negative control: C# 6 syntax (%s) fails the build", (_label, breakIt, feature) => {
    const broken = breakIt(CSHARP);
    expect(broken).not.toBe(CSHARP);
    expect(() => buildAgent(path.join(tmp.dir, `lang${++variants}`), broken, standin)).toThrow(new RegExp(`${feature.source}[\\s\\S]*C# 5\\.0 language specification`));
  });
});

describe("the agent's C# under Mono against the native stand-in", () => {
  test("mcs compiles it, and it drives every object kind through every declared function, leaving no handle open and no string unfreed", async () => {
    await withAgent(CSHARP, async (client, server) => {
      expect(await everyKind(client)).toEqual(EXPECTED);
      // Every declared function was called at least once, so every declaration was exercised.
      expect(Object.keys(HCN_SIGNATURES).filter((f) => !server.calls.includes(f))).toEqual([]);
      expect(server.openHandles()).toEqual([]);
      expect(server.handleFaults).toEqual([]);
    });
  });

  // Each broken copy still compiles; the run must fail, and say why.
  test.each([
    // The delegates must match the externs, so the GUID is made a copy everywhere at once: the native side then reads 16 bytes of GUID as a pointer.
    ["GUIDs passed by value instead of by reference", (c: string) => c.replace(/ref Guid id/g, "Guid id").replace(/\(ref id,/g, "(id,").replace(/, ref id,/g, ", id,"), /driver exited|not a reply/],
    // HNSCall("GET", ...) is the first call: its method arrives as garbage, and HNS knows no such method.
    ["8-bit strings handed to HCN", (c: string) => c.replace("const CharSet W = CharSet.Unicode;", "const CharSet W = CharSet.Ansi;"), /0x80004001|0x803B001B/],
    ["returned strings read as 8-bit", (c: string) => c.replace("Marshal.PtrToStringUni(p)", "Marshal.PtrToStringAnsi(p)"), /JSON|schema|Unexpected/],
    ["returned strings never freed", (c: string) => c.replace("finally { Marshal.FreeCoTaskMem(p); }", "finally { }"), /never freed/],
    ["returned strings freed twice", (c: string) => c.replace("finally { Marshal.FreeCoTaskMem(p); }", "finally { Marshal.FreeCoTaskMem(p); Marshal.FreeCoTaskMem(p); }"), /free\(s\) of a string not/],
    ["a created object's handle leaked", (c: string) => c.replace("try { return QueryHandle(api, handle, query); }\n            finally { api.Close(handle); }", "return QueryHandle(api, handle, query);"), /handles left open: network/],
    ["an opened handle never closed", (c: string) => c.replace("try { return step(handle); }\n            finally { api.Close(handle); }", "return step(handle);"), /handles left open/],
    ["a handle closed with another kind's function", (c: string) => c.replace("Close = HcnCloseNamespace", "Close = HcnCloseNetwork"), /HcnCloseNetwork on a namespace handle/],
  ])("negative control: %s fails the run", async (_label, breakIt, reason) => {
    const broken = breakIt(CSHARP);
    expect(broken).not.toBe(CSHARP);
    const outcome = await withAgent(broken, (client) => everyKind(client)).then(
      (seen) => `completed: ${seen.join("; ")}`,
      (e: Error) => `failed: ${String(e)}`,
    );
    expect(outcome).toMatch(/^failed: /);
    expect(outcome).toMatch(reason);
  });
});

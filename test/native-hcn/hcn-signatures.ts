/**
 * HCN's documented function signatures, as data, and a reader for the agent's C# DllImport
 * declarations, so the two can be compared parameter by parameter.
 *
 * Sources:
 * - Microsoft, "HCN functions" (computenetwork.h):
 *   https://learn.microsoft.com/en-us/virtualization/api/hcn/reference/hcn-functions
 *   e.g. HcnCreateNetwork(REFGUID Id, PCWSTR Settings, PHCN_NETWORK Network, PWSTR* ErrorRecord),
 *   HcnQueryNetworkProperties(HCN_NETWORK Network, PCWSTR Query, PWSTR* Properties, PWSTR* ErrorRecord),
 *   HcnCreateEndpoint(HCN_NETWORK Network, REFGUID Id, PCWSTR Settings, PHCN_ENDPOINT Endpoint, PWSTR* ErrorRecord);
 *   returned strings are released with CoTaskMemFree.
 * - hcsshim declares the same set for Go: https://github.com/microsoft/hcsshim/blob/main/hcn/hcn.go
 *   (`//sys hcnCreateNetwork(id *_guid, settings string, network *hcnNetwork, result **uint16) (hr error) = computenetwork.HcnCreateNetwork?`,
 *   and `_hnsCall(method string, path string, object string, response **uint16) (hr error) = vmcompute.HNSCall?`).
 *
 * Parameter kinds: guid = REFGUID (a GUID by reference), wstr = PCWSTR (UTF-16 in),
 * handle = an HCN_* handle by value, out = a pointer the function writes (a handle or a PWSTR).
 */
export type ParamKind = "guid" | "wstr" | "handle" | "out";

export interface Signature {
  dll: "computenetwork.dll" | "vmcompute.dll";
  params: ParamKind[];
}

const FAMILIES = ["Network", "Endpoint", "Namespace", "LoadBalancer", "SdnRoute"] as const;

function family(name: (typeof FAMILIES)[number]): Record<string, Signature> {
  const hcn = (params: ParamKind[]): Signature => ({ dll: "computenetwork.dll", params });
  return {
    [`HcnEnumerate${name}s`]: hcn(["wstr", "out", "out"]),
    // Endpoints are created on an open network: HcnCreateEndpoint(HCN_NETWORK, REFGUID, PCWSTR, PHCN_ENDPOINT, PWSTR*).
    [`HcnCreate${name}`]: hcn(name === "Endpoint" ? ["handle", "guid", "wstr", "out", "out"] : ["guid", "wstr", "out", "out"]),
    [`HcnOpen${name}`]: hcn(["guid", "out", "out"]),
    [`HcnModify${name}`]: hcn(["handle", "wstr", "out"]),
    [`HcnQuery${name}Properties`]: hcn(["handle", "wstr", "out", "out"]),
    [`HcnDelete${name}`]: hcn(["guid", "out"]),
    [`HcnClose${name}`]: hcn(["handle"]),
  };
}

export const HCN_SIGNATURES: Record<string, Signature> = {
  ...Object.assign({}, ...FAMILIES.map(family)),
  HNSCall: { dll: "vmcompute.dll", params: ["wstr", "wstr", "wstr", "out"] },
};

export interface Declaration {
  name: string;
  dll: string;
  returns: string;
  /** Whether C# strings are marshalled as UTF-16 (CharSet.Unicode). */
  unicode: boolean;
  params: string[];
}

/**
 * Every `[DllImport(...)] static extern <ret> Name(<params>);` in the C#, with the DLL name
 * resolved through `const string` fields and CharSet through `const CharSet` fields.
 */
export function readDeclarations(csharp: string): Declaration[] {
  const consts = new Map<string, string>();
  for (const m of csharp.matchAll(/const\s+(?:string|CharSet)\s+(\w+)\s*=\s*("([^"]*)"|CharSet\.\w+)\s*;/g)) consts.set(m[1], m[3] ?? m[2]);
  const value = (token: string) => (token.startsWith('"') ? token.slice(1, -1) : consts.get(token) ?? token);
  const out: Declaration[] = [];
  for (const m of csharp.matchAll(/\[DllImport\(([^,)]+)(?:,\s*CharSet\s*=\s*([\w.]+))?\)\]\s*static\s+extern\s+(\w+)\s+(\w+)\s*\(([^)]*)\)\s*;/g)) {
    out.push({
      dll: value(m[1].trim()),
      unicode: m[2] !== undefined && value(m[2]) === "CharSet.Unicode",
      returns: m[3],
      name: m[4],
      params: m[5].split(",").map((p) => p.trim().replace(/\s+\w+$/, "")).filter(Boolean),
    });
  }
  return out;
}

/** The documented kind a C# parameter type marshals as (undefined: no HCN parameter looks like this). */
function kindOf(csharpType: string, unicode: boolean): ParamKind | undefined {
  switch (csharpType) {
    case "ref Guid":
      return "guid";
    case "string":
      return unicode ? "wstr" : undefined; // without CharSet.Unicode a string goes out as 8-bit text
    case "IntPtr":
      return "handle";
    case "out IntPtr":
      return "out";
    default:
      return undefined;
  }
}

/** Every difference between the declarations and the documented signatures, as sentences. */
export function compareDeclarations(declarations: Declaration[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of declarations) {
    const want = HCN_SIGNATURES[d.name];
    if (!want) {
      problems.push(`${d.name}: not an HCN function this check knows`);
      continue;
    }
    seen.add(d.name);
    if (d.dll !== want.dll) problems.push(`${d.name}: imported from ${d.dll}, documented in ${want.dll}`);
    if (d.returns !== "uint") problems.push(`${d.name}: returns ${d.returns}, HRESULT is a 32-bit unsigned value here (uint)`);
    const got = d.params.map((p) => kindOf(p, d.unicode) ?? `${p}${p === "string" ? " (not CharSet.Unicode)" : ""}`);
    if (got.join(",") !== want.params.join(",")) problems.push(`${d.name}: parameters (${got.join(", ")}), documented (${want.params.join(", ")})`);
  }
  for (const name of Object.keys(HCN_SIGNATURES)) if (!seen.has(name)) problems.push(`${name}: not declared`);
  return problems;
}

/** The only way the agent may release a string HCN returned (HCN functions reference: CoTaskMemFree). */
export const HCN_STRING_FREE = "Marshal.FreeCoTaskMem";

/**
 * Every call in the C# that releases unmanaged memory other than HCN_STRING_FREE, as sentences,
 * and a sentence if HCN_STRING_FREE is never called. A static check because a run cannot tell
 * them apart here: under Mono on Linux, Marshal.FreeCoTaskMem and Marshal.FreeHGlobal both end
 * in free(), so the stand-in sees the same call; on Windows FreeHGlobal is LocalFree, the wrong
 * allocator for CoTaskMemAlloc'd strings.
 */
export function stringFreeProblems(csharp: string): string[] {
  const problems: string[] = [];
  let right = 0;
  const releases = /\b(Marshal\.(?:Free\w*|Release\w*|ZeroFree\w*|DestroyStructure)|(?:Local|Global|CoTaskMem|Heap|Virtual)Free|free)\s*\(/g;
  // Comments blanked (lengths kept, so line numbers still count): prose may say "free (".
  const code = csharp.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "));
  for (const m of code.matchAll(releases)) {
    if (m[1] === HCN_STRING_FREE) right++;
    else {
      const line = code.slice(0, m.index).split("\n").length;
      problems.push(`line ${line}: ${m[1]}() releases memory; strings HCN returns are CoTaskMemAlloc'd and must be freed with ${HCN_STRING_FREE}`);
    }
  }
  if (right === 0) problems.push(`${HCN_STRING_FREE} is never called: the strings HCN returns are never freed`);
  return problems;
}

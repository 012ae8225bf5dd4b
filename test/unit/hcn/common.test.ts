import { z } from "zod";
import {
  HcnDns,
  EndpointModifyRequest,
  HcnGuid,
  HostComputeQuery,
  ModifyRequest,
  NamespaceModifyRequest,
  NetworkModifyRequest,
  HcnProtocol,
  ProtocolList,
  enumOf,
  flagsOf,
  opt,
  ordinals,
  orDefault,
} from "../../../provider/hcn";

const issuesOf = (r: { success: boolean; error?: z.ZodError }) => (r.error?.issues ?? []).map((i) => i.message).join("\n");

describe("enumOf", () => {
  const Color = enumOf(["Red", "Green", "Blue"], ordinals(["Red", "Green", "Blue"]));

  it.each([
    ["Red", "Red"],
    ["red", "Red"],
    ["GREEN", "Green"],
    [" blue ", "Blue"],
    [0, "Red"],
    [2, "Blue"],
    ["1", "Green"],
  ])("reads %j as %s", (input, canonical) => {
    expect(Color.parse(input)).toBe(canonical);
  });

  it("rejects unknown names and numbers with the allowed values in the message", () => {
    const r = Color.safeParse("purple");
    expect(r.success).toBe(false);
    expect(issuesOf(r)).toContain("Red | Green | Blue");
    expect(Color.safeParse(7).success).toBe(false);
    expect(Color.safeParse(true).success).toBe(false);
  });

  it("accepts no integers when no number table is given", () => {
    const Plain = enumOf(["A", "B"]);
    expect(Plain.parse("b")).toBe("B");
    expect(Plain.safeParse(0).success).toBe(false);
  });

  it("supports sparse number tables", () => {
    const Sparse = enumOf(["Low", "High"], { 100: "Low", 300: "High" });
    expect(Sparse.parse(300)).toBe("High");
    expect(Sparse.safeParse(1).success).toBe(false);
  });
});

describe("flagsOf", () => {
  const Flags = flagsOf({ None: 0, A: 1, B: 2, C: 8 });
  it.each([
    [9, 9],
    ["A", 1],
    ["a|c", 9],
    ["A, B", 3],
    ["None", 0],
    ["10", 10],
  ])("reads %j as %d", (input, mask) => {
    expect(Flags.parse(input)).toBe(mask);
  });
  it("rejects unknown names and negative numbers", () => {
    expect(issuesOf(Flags.safeParse("A|Z"))).toContain('Unknown flag "Z"');
    expect(Flags.safeParse(-1).success).toBe(false);
  });
});

describe("opt and orDefault", () => {
  const O = z.looseObject({ a: opt(z.number()), b: orDefault(enumOf(["X", "Y"]), "X") });
  it("treats null as absent", () => {
    expect(O.parse({ a: null, b: null })).toEqual({ b: "X" });
    expect(O.parse({})).toEqual({ b: "X" });
    expect(O.parse({ a: 1, b: "y", extra: true })).toEqual({ a: 1, b: "Y", extra: true });
  });
});

describe("GUIDs", () => {
  // User input is validated by provider/vocabulary/fields.ts's Guid (test/unit/judge covers its messages).
  it("reads any string", () => {
    expect(HcnGuid.parse("$($id)")).toBe("$($id)");
  });
});

describe("Protocol", () => {
  it.each([
    ["tcp", 6],
    ["UDP", 17],
    [6, 6],
    ["17", 17],
    ["ICMPv6", 58],
  ])("reads %j as %d", (input, n) => expect(HcnProtocol.parse(input)).toBe(n));
  it("rejects unknown names", () => expect(HcnProtocol.safeParse("sctp-ish").success).toBe(false));
  it("normalises ACL protocol lists", () => {
    expect(ProtocolList.parse("TCP, 17")).toBe("6,17");
    expect(ProtocolList.parse(6)).toBe("6");
  });
});

describe("Dns and HostComputeQuery", () => {
  it("reads a comma-string ServerList as an array", () => {
    expect(HcnDns.parse({ ServerList: "10.0.0.1, 10.0.0.2", Domain: "corp" })).toEqual({ ServerList: ["10.0.0.1", "10.0.0.2"], Domain: "corp" });
  });
  it("reads query flags by name", () => {
    expect(HostComputeQuery.parse({ SchemaVersion: { Major: 2, Minor: 0 }, Flags: "Detailed", Filter: '{"Name":"nat"}' })).toEqual({
      SchemaVersion: { Major: 2, Minor: 0 },
      Flags: 1,
      Filter: '{"Name":"nat"}',
    });
  });
});

describe("ModifyRequest", () => {
  it("canonicalises string enums in any case", () => {
    expect(ModifyRequest.parse({ ResourceType: "policy", RequestType: "ADD", Settings: { Policies: [] } })).toEqual({
      ResourceType: "Policy",
      RequestType: "Add",
      Settings: { Policies: [] },
    });
    expect(ModifyRequest.parse({ ResourceType: "ipsubnet", RequestType: "refresh" })).toMatchObject({
      ResourceType: "IPSubnet",
      RequestType: "Refresh",
    });
  });

  it("reads integer RequestType (Add 0, Remove 1, Update 2, Refresh 3)", () => {
    expect([0, 1, 2, 3].map((n) => ModifyRequest.parse({ ResourceType: "Policy", RequestType: n }).RequestType)).toEqual([
      "Add",
      "Remove",
      "Update",
      "Refresh",
    ]);
    expect(ModifyRequest.safeParse({ ResourceType: "Policy", RequestType: 9 }).success).toBe(false);
  });

  it("reads integer ResourceType per object kind (docs samples)", () => {
    // hcn-scenarios: namespace {"ResourceType":1,"RequestType":0} adds an endpoint; endpoint 0 is Port.
    expect(NamespaceModifyRequest.parse({ ResourceType: 1, RequestType: 0, Settings: { EndpointId: "x" } })).toMatchObject({
      ResourceType: "Endpoint",
      RequestType: "Add",
    });
    expect(EndpointModifyRequest.parse({ ResourceType: 0, RequestType: 0 }).ResourceType).toBe("Port");
    expect(EndpointModifyRequest.parse({ ResourceType: 1, RequestType: 2 })).toMatchObject({ ResourceType: "Policy", RequestType: "Update" });
    expect(NetworkModifyRequest.parse({ ResourceType: 2, RequestType: 1 })).toMatchObject({ ResourceType: "Policy", RequestType: "Remove" });
    expect(NetworkModifyRequest.parse({ ResourceType: "dns", RequestType: "Update" }).ResourceType).toBe("DNS");
    expect(NetworkModifyRequest.safeParse({ ResourceType: "Port", RequestType: 0 }).success).toBe(false);
  });

  it("refuses an integer ResourceType when the kind is unknown, naming the schemas to use", () => {
    const r = ModifyRequest.safeParse({ ResourceType: 1, RequestType: 0 });
    expect(r.success).toBe(false);
    expect(issuesOf(r)).toContain("NamespaceModifyRequest");
  });
});

import type { HostComputeRoute } from "../../../provider/hcn";
import { HnsDocumentError, detectKind, detectVersion, parseHnsDocument } from "./hns-document";
import { thrownBy } from "../../helpers/fixtures";

const catchError = (fn: () => unknown): HnsDocumentError => {
  const e = thrownBy(fn);
  expect(e).toBeInstanceOf(HnsDocumentError);
  return e as HnsDocumentError;
};

describe("parseHnsDocument envelopes and errors", () => {
  it("throws the HNS Error text of a failed HNSCall envelope", () => {
    const e = catchError(() => parseHnsDocument({ Success: false, Error: "Element not found. ", ErrorCode: 2147943568 }));
    expect(e.reason).toBe("hns-error");
    expect(e.message).toContain("Element not found.");
    expect(e.message).toContain("0x80070490");
    expect(e.hnsError).toBe("Element not found. ");
    expect(e.errorCode).toBe(2147943568);
  });

  it("throws on a bare HCN error record too", () => {
    expect(() => parseHnsDocument({ Error: "The object already exists. " })).toThrow("The object already exists.");
  });

  it("returns nothing for a successful envelope without Output", () => {
    expect(parseHnsDocument({ Success: true })).toEqual([]);
    expect(parseHnsDocument({ Success: true, Output: null })).toEqual([]);
  });

  it("reads envelopes inside arrays and JSON text with a BOM and \\/ escapes", () => {
    const text = '\uFEFF[{"Success":true,"Output":{"Name":"nat","Type":"nat","Subnets":[{"AddressPrefix":"172.16.0.0\\/16"}]}}]';
    const [d] = parseHnsDocument(text);
    expect(d).toMatchObject({ kind: "network", version: "v1", doc: { Type: "NAT", Subnets: [{ AddressPrefix: "172.16.0.0/16" }] } });
  });

  it("names the keys it saw when the kind is unknown", () => {
    const e = catchError(() => parseHnsDocument({ Foo: 1, Bar: 2 }));
    expect(e.reason).toBe("unknown-kind");
    expect(e.message).toContain("Foo, Bar");
  });

  it("reports invalid JSON and invalid documents with the path", () => {
    expect(catchError(() => parseHnsDocument("{nope")).reason).toBe("invalid-json");
    const e = catchError(() => parseHnsDocument([{ Name: "x", Type: "NAT" }, { Name: "y", Subnets: [{ AddressPrefix: 5 }] }]));
    expect(e.reason).toBe("invalid-document");
    expect(e.message).toContain("at [1]");
    expect(e.message).toContain("Subnets[0].AddressPrefix");
    expect(catchError(() => parseHnsDocument([1])).reason).toBe("invalid-document");
  });
});

describe("kind and version detection", () => {
  it.each([
    [{ HostComputeEndpoints: ["e"], Routes: [{ DestinationPrefix: "10.0.0.0/8" }] }, "route", "v2"],
    [{ HostComputeEndpoints: ["e"], PortMappings: [] }, "loadBalancer", "v2"],
    [{ References: [], Policies: [] }, "policyList", "v1"],
    [{ Policies: [{ Type: "ROUTE", DestinationPrefix: "10.0.0.0/8" }] }, "policyList", "v1"],
    [{ HostComputeNetwork: "n", IpConfigurations: [] }, "endpoint", "v2"],
    [{ VirtualNetwork: "n", IPAddress: "10.0.0.2" }, "endpoint", "v1"],
    [{ ID: "x", NamespaceId: 3, Type: "HostDefault", Resources: [] }, "namespace", "v2"],
    [{ ID: "x", IsDefault: false, Containers: [] }, "namespace", "v1"],
    [{ Name: "n", Ipams: [] }, "network", "v2"],
    [{ Name: "n", Type: "Overlay", Policies: [{ Type: "VxlanPort", Settings: { Port: 4789 } }] }, "network", "v2"],
    [{ Name: "n", Type: "transparent" }, "network", "v1"],
    [{ Name: "n", Subnets: [], SchemaVersion: { Major: 1, Minor: 0 } }, "network", "v1"],
    [{ Name: "n", SchemaVersion: { Major: 2, Minor: 0 }, Flags: 0 }, "network", "v2"],
    [{ Foo: 1, SchemaVersion: { Major: 2, Minor: 0 } }, undefined, undefined],
  ])("%j → %s %s", (obj, kind, version) => {
    const k = detectKind(obj);
    expect(k).toBe(kind);
    if (k) expect(detectVersion(obj, k)).toBe(version);
  });

  it("normalises the docs' Routes spelling of an SDN route to Setting", () => {
    const [d] = parseHnsDocument({
      ID: "r",
      HostComputeEndpoints: ["e1"],
      Routes: [{ DestinationPrefix: "10.0.0.0/8", NextHop: "10.0.0.1", NeedEncap: true }],
      SchemaVersion: { Major: 2, Minor: 0 },
    });
    expect(d.kind).toBe("route");
    const route = d.doc as HostComputeRoute;
    expect(route.Setting).toEqual([{ DestinationPrefix: "10.0.0.0/8", NextHop: "10.0.0.1", NeedEncap: true }]);
    expect("Routes" in route).toBe(false);
  });

  it("reads a v2 namespace with its resources", () => {
    const [d] = parseHnsDocument({
      ID: "ns",
      NamespaceId: 7,
      Type: 1,
      Resources: [{ Type: "endpoint", Data: { ID: "e1" } }],
      SchemaVersion: { Major: 2, Minor: 0 },
    });
    expect(d).toEqual({
      kind: "namespace",
      version: "v2",
      doc: { ID: "ns", NamespaceId: 7, Type: "HostDefault", Resources: [{ Type: "Endpoint", Data: { ID: "e1" } }], SchemaVersion: { Major: 2, Minor: 0 } },
    });
  });

  it("reads the docs' endpoint key spellings as aliases", () => {
    const [d] = parseHnsDocument({
      HostComputeNetwork: "n",
      IPConfigurations: [{ IpAddress: "10.0.0.5", PrefixLength: 24 }],
      DNS: { ServerList: "10.0.0.10" },
      SchemaVersion: { Major: 2, Minor: 0 },
    });
    expect(d.doc).toEqual({
      HostComputeNetwork: "n",
      IpConfigurations: [{ IpAddress: "10.0.0.5", PrefixLength: 24 }],
      Dns: { ServerList: ["10.0.0.10"] },
      SchemaVersion: { Major: 2, Minor: 0 },
    });
  });
});

// Every real HNS document in the corpus (test/fixtures/hns-corpus) must parse, with the kind its file name names.
// HNS_CORPUS_DIR points the suite at another folder (held-out documents of the same kinds).
import * as fs from "fs";
import * as path from "path";
import {
  EndpointPolicy,
  HnsEndpointV1,
  HnsNetworkV1,
  HnsPolicyListV1,
  HostComputeEndpoint,
  HostComputeLoadBalancer,
  HostComputeNetwork,
  endpointFromV1,
  endpointToV1,
  loadBalancerToPolicyListV1,
  networkFromV1,
  networkToV1,
} from "../../../provider/hcn";
import { parseHnsDocument, parseHnsObject, type HnsDocumentKind, type ParsedDocument } from "./hns-document";
import { loadBalancerFromPolicyListV1 } from "./policy-list-v1";

// Real HNS documents collected from public issues and repositories; test/fixtures/hns-corpus/INDEX.md lists the source of each.
const CORPUS = process.env.HNS_CORPUS_DIR ?? path.resolve(__dirname, "../../fixtures/hns-corpus");
const files = fs
  .readdirSync(CORPUS)
  .filter((f) => f.endsWith(".json"))
  .sort();

const KIND_BY_PREFIX: Record<string, HnsDocumentKind> = {
  network: "network",
  endpoint: "endpoint",
  namespace: "namespace",
  loadbalancer: "loadBalancer",
  policylist: "policyList",
  route: "route",
};

// Versions recorded in the corpus INDEX.md; files not listed here are only checked for
// consistency with SchemaVersion.
const KNOWN_VERSION: Record<string, "v1" | "v2"> = {
  "endpoint-flannel-1.json": "v1",
  "endpoint-moby40128-1.json": "v1",
  "endpoint-multipass-1.json": "v2",
  "endpoint-nanabox-1.json": "v1",
  "endpoint-sdn227-1.json": "v1",
  "loadbalancer-calico7305-1.json": "v2",
  "loadbalancer-knabbenblog-1.json": "v2",
  "namespace-hcsshim674-1.json": "v1",
  "network-multipass-1.json": "v2",
  "network-multipass-2.json": "v2",
  "network-multipass-4.json": "v2",
  "network-wsl2customnet-1.json": "v1",
  "network-wslscript-1.json": "v1",
  "network-wslswitchmod-1.json": "v1",
  "policylist-k8scommit-1.json": "v1",
};

const read = (f: string) => fs.readFileSync(path.join(CORPUS, f), "utf8");
const parse = (f: string) => parseHnsDocument(read(f));
const has = (f: string) => files.includes(f);
const only = (f: string): ParsedDocument => {
  const docs = parse(f);
  expect(docs).toHaveLength(1);
  return docs[0];
};

describe("HNS corpus", () => {
  it("finds documents", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(files)("%s", (file) => {
    const prefix = file.split("-")[0].toLowerCase();
    const raw = JSON.parse(read(file));

    it("parses with the kind its name implies", () => {
      const docs = parse(file);
      expect(docs.length).toBeGreaterThan(0);
      for (const d of docs) {
        if (KIND_BY_PREFIX[prefix]) expect(d.kind).toBe(KIND_BY_PREFIX[prefix]);
        const sv = (d.doc as { SchemaVersion?: { Major: number } }).SchemaVersion;
        if (KNOWN_VERSION[file]) expect(d.version).toBe(KNOWN_VERSION[file]);
        else if (sv) expect(d.version).toBe(sv.Major >= 2 ? "v2" : "v1");
      }
      // A top-level array or an envelope's Output array yields one document per element.
      const output = Array.isArray(raw) ? raw : Array.isArray(raw?.Output) ? raw.Output : undefined;
      if (output) expect(docs).toHaveLength(output.length);
    });

    it("is canonical after one parse (parsing the output again changes nothing)", () => {
      for (const d of parse(file)) {
        const again = parseHnsObject(JSON.parse(JSON.stringify(d.doc)), "", d.kind, d.version);
        expect(again.doc).toEqual(d.doc);
      }
    });

    it("converts between v1 and v2 without losing validity", () => {
      for (const d of parse(file)) {
        if (d.kind === "network" && d.version === "v1") expect(HostComputeNetwork.safeParse(networkFromV1(d.doc)).success).toBe(true);
        if (d.kind === "network" && d.version === "v2") expect(HnsNetworkV1.safeParse(networkToV1(d.doc)).success).toBe(true);
        if (d.kind === "endpoint" && d.version === "v1") expect(HostComputeEndpoint.safeParse(endpointFromV1(d.doc)).success).toBe(true);
        if (d.kind === "endpoint" && d.version === "v2") expect(HnsEndpointV1.safeParse(endpointToV1(d.doc)).success).toBe(true);
        if (d.kind === "loadBalancer") expect(HnsPolicyListV1.safeParse(loadBalancerToPolicyListV1(d.doc)).success).toBe(true);
        if (d.kind === "policyList") expect(HostComputeLoadBalancer.safeParse(loadBalancerFromPolicyListV1(d.doc)).success).toBe(true);
      }
    });
  });
});

// Facts about specific documents (skipped when HNS_CORPUS_DIR points elsewhere).
const fact = (file: string) => (has(file) ? it : it.skip);

describe("corpus facts", () => {
  fact("network-cnnotes-1.json")("cnnotes envelope yields Overlay 'External' (subnet VSID 9999) and 'nat'", () => {
    const docs = parse("network-cnnotes-1.json");
    expect(docs.map((d) => [d.kind, d.version])).toEqual([
      ["network", "v1"],
      ["network", "v1"],
    ]);
    const [ext, nat] = docs.map((d) => d.doc as HnsNetworkV1);
    expect(ext.Name).toBe("External");
    expect(ext.Type).toBe("Overlay");
    expect(ext.Subnets?.[0].Policies).toEqual([{ Type: "VSID", VSID: 9999 }]);
    expect(nat.Name).toBe("nat");
    expect(nat.Type).toBe("NAT");
    expect(nat.NatName).toBe("ICSBEDB5686-6B22-44B5-A3AF-385BD261F365");

    const v2 = networkFromV1(ext);
    expect(v2.Type).toBe("Overlay");
    expect(v2.Ipams?.[0].Subnets?.[0].Policies).toEqual([{ Type: "VSID", Settings: { IsolationId: 9999 } }]);
    expect(v2.Ipams?.[0].Subnets?.[0].Routes).toEqual([{ NextHop: "192.168.255.1", DestinationPrefix: "0.0.0.0/0" }]);
  });

  fact("network-multipass-1.json")("a v2 network with no Type parses as NAT", () => {
    const raw = JSON.parse(read("network-multipass-1.json"));
    delete raw.Type;
    const [d] = parseHnsDocument(raw);
    expect(d).toMatchObject({ kind: "network", version: "v2" });
    expect((d.doc as HostComputeNetwork).Type).toBe("NAT");
  });

  fact("network-multipass-1.json")("multipass ICS network: Type ICS, IPAM 'static' → Static, IpSubnets null kept", () => {
    const d = only("network-multipass-1.json");
    const net = d.doc as HostComputeNetwork;
    expect(net.Type).toBe("ICS");
    expect(net.SchemaVersion).toEqual({ Major: 2, Minor: 2 });
    expect(net.Ipams?.[0].Type).toBe("Static");
    expect(net.Ipams?.[0].Subnets?.[0].IpSubnets).toBeNull();
  });

  fact("network-multipass-4.json")("multipass IPAMs: 'static' → Static and 'DHCP' → Dhcp, route Metric kept", () => {
    const net = only("network-multipass-4.json").doc as HostComputeNetwork;
    expect(net.Ipams?.map((i) => i.Type)).toEqual(["Static", "Dhcp"]);
    expect(net.Ipams?.[0].Subnets?.[0].Routes?.[0]).toEqual({ NextHop: "10.0.0.1", DestinationPrefix: "0.0.0.0/0", Metric: 0 });
  });

  fact("network-multipass-2.json")("multipass Transparent network carries a typed NetAdapterName policy", () => {
    const net = only("network-multipass-2.json").doc as HostComputeNetwork;
    expect(net.Type).toBe("Transparent");
    expect(net.Policies).toEqual([{ Type: "NetAdapterName", Settings: { NetworkAdapterName: "test adapter" } }]);
  });

  fact("network-dockerforwin4296-1.json")("Default Switch reads as ICS", () => {
    const net = only("network-dockerforwin4296-1.json").doc as HnsNetworkV1;
    expect(net.Type).toBe("ICS");
    expect(net.Subnets?.[0].AddressPrefix).toBe("172.24.135.192/28");
  });

  fact("network-dockerforwin2312-1.json")("pre-RS5 'NATName' spelling and lower-case 'nat' type", () => {
    const net = only("network-dockerforwin2312-1.json").doc as HnsNetworkV1;
    expect(net.Type).toBe("NAT");
    expect(net.NATName).toBe("H7535ff2a-9107-4a63-8302-b3c0f325bc6d");
  });

  fact("network-dockerforwin1126-1.json")("legacy Private network in a bare array", () => {
    expect((only("network-dockerforwin1126-1.json").doc as HnsNetworkV1).Type).toBe("Private");
  });

  fact("loadbalancer-calico7305-1.json")("calico NodePort load balancer: PortMapping Flags 2, Protocol 6", () => {
    const lb = only("loadbalancer-calico7305-1.json").doc as HostComputeLoadBalancer;
    expect(lb.PortMappings).toEqual([{ Protocol: 6, InternalPort: 80, ExternalPort: 31416, Flags: 2 }]);
    expect(lb.FrontendVIPs).toBeUndefined();
  });

  fact("loadbalancer-knabbenblog-1.json")("ClusterIP load balancer with three backends", () => {
    const lb = only("loadbalancer-knabbenblog-1.json").doc as HostComputeLoadBalancer;
    expect(lb.HostComputeEndpoints).toHaveLength(3);
    expect(lb.FrontendVIPs).toEqual(["10.99.234.145"]);
    const pl = loadBalancerToPolicyListV1(lb);
    expect(pl.References[0]).toBe("/endpoints/028abaed-7ff6-4fdc-992c-d3b004936be0");
    expect(pl.Policies).toEqual([
      { Type: "ELB", SourceVIP: "100.244.206.66", VIPs: ["10.99.234.145"], Protocol: 6, InternalPort: 8080, ExternalPort: 80 },
    ]);
  });

  fact("network-wslscript-1.json")("wslscript placeholder IDs and prefixes still parse", () => {
    const net = only("network-wslscript-1.json").doc as HnsNetworkV1;
    expect(net.ID).toBe("$($id)");
    expect(net.Name).toBe("$($name)");
    expect(net.Subnets?.[0].AddressPrefix).toBe("$($desired_cidr)");
    expect(net.Flags).toBe(265);
  });

  fact("network-wsl2customnet-1.json")("v1 DNSServerList comma string becomes a v2 ServerList", () => {
    const net = only("network-wsl2customnet-1.json").doc as HnsNetworkV1;
    expect(net.DNSServerList).toBe("192.168.5.1, 192.168.5.2");
    expect(networkFromV1(net).Dns?.ServerList).toEqual(["192.168.5.1", "192.168.5.2"]);
  });

  fact("network-netrestore-1.json")("network-level v1 VLAN moves to every HCN subnet", () => {
    const net = only("network-netrestore-1.json").doc as HnsNetworkV1;
    expect(net.Policies).toEqual([{ Type: "VLAN", VLAN: 1 }]);
    const v2 = networkFromV1(net);
    expect(v2.Type).toBe("NAT");
    expect(v2.Flags).toBe(8);
    expect(v2.Ipams?.[0].Subnets?.[0].Policies).toEqual([{ Type: "VLAN", Settings: { IsolationId: 1 } }]);
    expect(v2.Ipams?.[0].Subnets?.[0].IpSubnets?.[0]).toMatchObject({ IpAddressPrefix: "172.21.16.0/20", Flags: 3 });
  });

  fact("network-sdn532-1.json")("v1 NetworkAdapterName becomes a NetAdapterName policy", () => {
    const v2 = networkFromV1(only("network-sdn532-1.json").doc as HnsNetworkV1);
    expect(v2.Policies).toEqual([{ Type: "NetAdapterName", Settings: { NetworkAdapterName: "wg0" } }]);
  });

  fact("endpoint-multipass-1.json")("minimal v2 endpoint: MacAddress null kept, schema 2.16", () => {
    const ep = only("endpoint-multipass-1.json").doc as HostComputeEndpoint;
    expect(ep.MacAddress).toBeNull();
    expect(ep.SchemaVersion).toEqual({ Major: 2, Minor: 16 });
    expect(ep.HostComputeNetwork).toBe("b70c479d-f808-4053-aafa-705bc15b6d68");
  });

  fact("endpoint-flannel-1.json")("remote v1 endpoint → v2 with RemoteEndpoint flag, ProviderAddress and EncapOverhead", () => {
    const v1 = only("endpoint-flannel-1.json").doc as HnsEndpointV1;
    expect(v1.Type).toBe("Overlay");
    const ep = endpointFromV1(v1);
    expect(ep.Flags).toBe(1);
    expect(ep.IpConfigurations).toEqual([{ IpAddress: "10.244.2.141", PrefixLength: 16 }]);
    expect(ep.Policies).toEqual([
      { Type: "ProviderAddress", Settings: { ProviderAddress: "10.123.74.74" } },
      { Type: "EncapOverhead", Settings: { Overhead: 50 } },
    ]);
    expect(ep.Policies?.every((p) => EndpointPolicy.safeParse(p).success)).toBe(true);
  });

  fact("endpoint-moby40128-1.json")("hosts' EnableLowInterfaceMetric maps to flag 8", () => {
    const ep = endpointFromV1(only("endpoint-moby40128-1.json").doc as HnsEndpointV1);
    expect(ep.Flags).toBe(8);
    expect(ep.Routes).toEqual([{ NextHop: "172.25.144.1", DestinationPrefix: "0.0.0.0/0" }]);
    expect(ep.Dns?.ServerList).toEqual(["172.25.144.1", "172.31.0.2"]);
  });

  fact("endpoint-sdn227-1.json")("v1 L2Driver policy with no fields", () => {
    const v1 = only("endpoint-sdn227-1.json").doc as HnsEndpointV1;
    expect(v1.Policies).toEqual([{ Type: "L2Driver" }]);
    expect(endpointFromV1(v1).Policies).toEqual([{ Type: "L2Driver", Settings: {} }]);
  });

  fact("namespace-hcsshim674-1.json")("v1 namespace", () => {
    expect(only("namespace-hcsshim674-1.json")).toMatchObject({ kind: "namespace", version: "v1", doc: { IsDefault: false } });
  });

  fact("policylist-k8scommit-1.json")("ELB policy list → load balancer over two endpoints", () => {
    const pl = only("policylist-k8scommit-1.json").doc as HnsPolicyListV1;
    expect(pl.References).toHaveLength(2);
    const lb = loadBalancerFromPolicyListV1(pl);
    expect(lb.HostComputeEndpoints).toEqual(["ca8b877b-ab90-499a-bc0e-7d736c425632", "ee0ef08b-8434-4f8b-b748-393884e77465"]);
    expect(lb.FrontendVIPs).toEqual(["11.0.98.129"]);
    expect(lb.PortMappings).toEqual([{ Protocol: 6, InternalPort: 80, ExternalPort: 80 }]);
  });
});

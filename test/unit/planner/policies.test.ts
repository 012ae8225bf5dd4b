/** The policy planner: final HNS policy lists from the topology's intent. */
import { plan } from "../../../provider/planner";

test("l2bridge endpoints: outbound NAT with the network's own prefix first, ports, ACLs, then raw policies", () => {
  const p = plan({
    reservations: "flannel",
    hosts: [
      {
        name: "node-1",
        networks: [
          {
            name: "cbr0",
            type: "l2bridge",
            subnets: [{ prefix: "10.244.1.0/24" }],
            outboundNat: { exceptions: ["10.244.0.0/16", "10.96.0.0/12", "10.244.1.0/24"] },
            endpoints: [
              { name: "host-ep", attach: "host" },
              {
                name: "web",
                ports: [{ protocol: "udp", internalPort: 53, externalPort: 5353 }],
                acls: [{ action: "allow", direction: "in", priority: 100, protocol: "tcp", localPorts: [80, "8000-8080"], remoteAddresses: ["10.0.0.0/8"] }],
                policies: [{ Type: "QOS", Settings: { MaximumOutgoingBandwidthInBytes: 1000 } }],
              },
              { name: "no-nat", outboundNat: false },
            ],
          },
        ],
      },
    ],
  });
  expect(p.findings).toEqual([]);
  const [hostEp, web, noNat] = p.hosts[0].networks[0].endpoints;
  expect(hostEp.policies).toEqual([]); // the host's vNIC is never NATed
  expect(noNat.policies).toEqual([]);
  expect(web.policies).toEqual([
    { Type: "OutBoundNAT", Settings: { Exceptions: ["10.244.1.0/24", "10.244.0.0/16", "10.96.0.0/12"] } },
    { Type: "PortMapping", Settings: { Protocol: 17, InternalPort: 53, ExternalPort: 5353 } },
    {
      Type: "ACL",
      Settings: { Action: "Allow", Direction: "In", Priority: 100, RuleType: "Switch", Protocols: "6", RemoteAddresses: "10.0.0.0/8", LocalPorts: "80,8000-8080" },
    },
    { Type: "QOS", Settings: { MaximumOutgoingBandwidthInBytes: 1000 } },
  ]);
});

test("overlay: provider address, host route and one RemoteSubnetRoute per peer of the domain", () => {
  const p = plan({
    hosts: [1, 2, 3].map((i) => ({
      name: `node-${i}`,
      domain: i < 3 ? "k8s" : undefined,
      providerAddress: `192.168.1.${10 + i}`,
      networks: [{ name: "vxlan0", type: "overlay" as const, hostRoute: true, vxlanPort: 4789, subnets: [{ prefix: `10.244.${i}.0/24`, vsid: 4096 }] }],
    })),
  });
  expect(p.findings).toEqual([]);
  expect(p.hosts[0].networks[0].policies).toEqual([
    { Type: "ProviderAddress", Settings: { ProviderAddress: "192.168.1.11" } },
    { Type: "HostRoute", Settings: {} },
    { Type: "RemoteSubnetRoute", Settings: { DestinationPrefix: "10.244.2.0/24", IsolationId: 4096, ProviderAddress: "192.168.1.12" } },
  ]);
  // node-3 is in no domain: it has no peers.
  expect(p.hosts[2].networks[0].policies.map((x) => x.Type)).toEqual(["ProviderAddress", "HostRoute"]);
});

test("a schema error is a finding with the field path, and nothing is planned", () => {
  const p = plan({ hosts: [{ name: "n", networks: [{ name: "a", type: "natt" }] }] });
  expect(p.hosts).toEqual([]);
  expect(p.findings).toEqual([expect.objectContaining({ rule: "schema", path: "hosts.0.networks.0.type" })]);
});

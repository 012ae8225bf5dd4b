/**
 * Descriptions for schema fields that have no JSDoc comment yet, in files this generator's
 * owner does not edit (provider/planner/topology.ts belongs to the planner work). Each entry
 * is a debt: the generator fails when a field has both a comment and an entry here ("stale
 * supplement") or an entry matches no field, so entries disappear as the comments are written
 * where the fields are declared. Moving these into topology.ts is the intended end state.
 */
export const SUPPLEMENTS: Record<string, string> = {
  "Topology.domains": "L2 domains (clusters): hosts that name one share its VIP pool, and their prefixes must not overlap. Defaults to none.",
  "Topology.hosts": "The hosts, each with its networks.",
  "TopologyHost.networks": "The host's HNS networks. Defaults to none.",
  "TopologyNetwork.type": "HNS network type: nat, ics, transparent, l2bridge, l2tunnel, overlay, private or internal.",
  "TopologyNetwork.subnets": "Subnets; endpoints are allocated from them. A network with endpoints needs one (rule subnet-required).",
  "TopologyNetwork.dns": "DNS settings the network's endpoints inherit. Defaults to none.",
  "TopologyNetwork.adapterName": "Physical adapter of the external vSwitch (transparent, l2bridge, l2tunnel, overlay), e.g. \"Ethernet\".",
  "TopologyNetwork.macPool": "MAC range for the network's endpoints. Defaults to a block HNS picks.",
  "TopologyNetwork.macPool.start": "First MAC address of the range, e.g. \"00-15-5D-52-C0-00\".",
  "TopologyNetwork.macPool.end": "Last MAC address of the range, e.g. \"00-15-5D-52-CF-FF\".",
  "TopologyNetwork.persistent": "Survives a reboot (false sets EnableNonPersistent). Defaults to true.",
  "TopologyNetwork.endpoints": "Endpoints on the network; the planner allocates their addresses. Defaults to none.",
  "TopologyNetwork.loadBalancers": "HNS load balancers over the network's endpoints (l2bridge, overlay). Defaults to none.",
  "TopologySubnet.prefix": "Address prefix, e.g. \"10.244.1.0/24\".",
  "TopologySubnet.vlan": "VLAN id, 1-4094 (transparent, l2bridge, l2tunnel; rule vlan-range).",
  "TopologySubnet.vsid": "Virtual subnet id (= VXLAN VNI), 4096-16777215 (overlay, l2bridge; rule isolation-id-range).",
  "TopologySubnet.routes": "Extra routes of the subnet. Defaults to none.",
  "TopologyEndpoint.acls": "ACL rules (VFP or WFP) of the endpoint. Defaults to none.",
  "TopologyEndpoint.disableIcc": "No traffic to the network's other endpoints (DisableICC). Defaults to false.",
  "TopologyLoadBalancer.ports": "Frontend port → backend port mappings.",
  "TopologyLoadBalancer.ports.protocol": "tcp or udp. Defaults to tcp.",
  "TopologyLoadBalancer.ports.internal": "Port on the backends.",
  "TopologyLoadBalancer.ports.external": "Port on the VIP.",
  "TopologyLoadBalancer.ports.distribution": "Session affinity (HNS 12.0+). Defaults to none.",
  "TopologyLoadBalancer.dsr": "Direct server return (HNS 10.2+). Defaults to false.",
  "TopologyLoadBalancer.ilb": "Internal load balancer (PortMapping flag ILB). Defaults to false.",
  "AclRule.action": "allow or block.",
  "AclRule.direction": "in or out.",
  "AclRule.localAddresses": "Local addresses or prefixes the rule matches. Defaults to any.",
  "AclRule.remoteAddresses": "Remote addresses or prefixes the rule matches. Defaults to any.",
  "AclRule.localPorts": "Local ports or \"low-high\" ranges. Defaults to any.",
  "AclRule.remotePorts": "Remote ports or \"low-high\" ranges. Defaults to any.",
  "Reservations.first": "How many addresses at the start of each subnet are never handed out.",
  "Reservations.last": "How many addresses at the end of each subnet are never handed out.",
  "Reservations.host": "Offset the host endpoint (attach: host) gets. Defaults to none.",
};

/**
 * Which HNS feature each policy type needs (hcsshim hcn/hcnsupport.go checks these before it
 * sends the policy; hcnglobals.go gives the versions, see ../features.ts). The emulator refuses
 * an ungated use and the planner reports it, both from this table.
 */
import type { Feature } from "../features";

export const NETWORK_POLICY_FEATURES: Readonly<Record<string, Feature>> = {
  VxlanPort: "VxlanPort",
  HostRoute: "HostRoute",
  RemoteSubnetRoute: "RemoteSubnet",
  NetworkACL: "NetworkACL",
  SetPolicy: "SetPolicy",
  L4Proxy: "L4Proxy",
};

export const ENDPOINT_POLICY_FEATURES: Readonly<Record<string, Feature>> = {
  ACL: "AclRules",
  L4Proxy: "L4Proxy",
  L4WFPPROXY: "L4WfpProxy",
  TierAcl: "TierAcl",
};

// HCN v2 HostComputeEndpoint (https://github.com/microsoft/hcsshim/blob/main/hcn/hcnendpoint.go).
import { z } from "zod";
import { HcnDns, HcnGuid, HcnRoute, UInt, withAliases, flagsOf, opt, baseFields } from "./common";
import { notFoundErrors } from "./not-found";
import { EndpointPolicyRead } from "./policy";

/** Endpoint flag bits: RemoteEndpoint from hcsshim (https://github.com/microsoft/hcsshim/blob/main/hcn/hcnendpoint.go); the rest from hns.v2.psm1 (https://github.com/microsoft/SDN/blob/master/Kubernetes/windows/hns.v2.psm1), in its order. */
export const EndpointFlags = {
  None: 0,
  RemoteEndpoint: 1,
  DisableICC: 2,
  DisableInterComputeCommunication: 2,
  EnableMirroring: 4,
  EnableLowInterfaceMetric: 8,
  OverrideDNSServerOrder: 16,
  EnableDhcp: 32,
} as const;

export const IpConfig = z.looseObject({
  IpAddress: opt(z.string()),
  PrefixLength: opt(UInt.max(128)),
  IpSubnetId: opt(HcnGuid),
});
export type IpConfig = z.infer<typeof IpConfig>;

const endpointShape = z.looseObject({
  ID: opt(HcnGuid),
  Name: opt(z.string()),
  HostComputeNetwork: opt(HcnGuid),
  // Read-only: set by a namespace Modify, never on create (hcsshim hcnendpoint.go: HostComputeNamespace is filled by HNS).
  HostComputeNamespace: opt(HcnGuid),
  Policies: opt(z.array(EndpointPolicyRead)),
  IpConfigurations: opt(z.array(IpConfig)),
  Dns: opt(HcnDns),
  Routes: opt(z.array(HcnRoute)),
  // null asks HNS to pick from the network's MacPool (multipass corpus).
  MacAddress: z.string().nullable().optional(),
  Flags: opt(flagsOf(EndpointFlags)),
  ...baseFields,
});

// The docs spell `IPConfigurations` and `DNS`; hcsshim's spelling is canonical.
export const HostComputeEndpoint = withAliases({ IPConfigurations: "IpConfigurations", DNS: "Dns" }, endpointShape);
export type HostComputeEndpoint = z.infer<typeof HostComputeEndpoint>;

/** An endpoint that is not there: HcnOpenEndpoint's HCN_E_ENDPOINT_NOT_FOUND (hcsshim EndpointNotFoundError). */
export const endpointNotFound = notFoundErrors("endpoint", "HCN_E_ENDPOINT_NOT_FOUND");

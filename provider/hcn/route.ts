// HCN v2 HostComputeRoute, the SDN route (https://github.com/microsoft/hcsshim/blob/main/hcn/hcnroute.go).
import { z } from "zod";
import { HcnGuid, withAliases, opt, baseFields } from "./common";
import { SDNRoutePolicySetting } from "./policy";

const routeShape = z.looseObject({
  ID: opt(HcnGuid),
  Name: opt(z.string()),
  HostComputeEndpoints: opt(z.array(HcnGuid)),
  Setting: opt(z.array(SDNRoutePolicySetting)),
  // Docs 2.5.
  HostComputeNetwork: opt(HcnGuid),
  ...baseFields,
});

// hcsshim's key is `Setting`; the docs call the array `Routes`, read as an alias.
export const HostComputeRoute = withAliases({ Routes: "Setting" }, routeShape);
export type HostComputeRoute = z.infer<typeof HostComputeRoute>;

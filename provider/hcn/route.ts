// HCN v2 HostComputeRoute, the SDN route (hcsshim hcn/hcnroute.go; reference §1.5).
import { z } from "zod";
import { Guid, Health, SchemaVersion, UInt, UInt64, aliasKeys, opt } from "./common";
import { SDNRoutePolicySetting } from "./policy";

const routeShape = z.looseObject({
  ID: opt(Guid),
  Name: opt(z.string()),
  HostComputeEndpoints: opt(z.array(Guid)),
  Setting: opt(z.array(SDNRoutePolicySetting)),
  // Docs 2.5.
  HostComputeNetwork: opt(Guid),
  Health: opt(Health),
  SchemaVersion: opt(SchemaVersion),
  State: opt(UInt),
  Owner: opt(z.string()),
  Version: opt(UInt64),
  AdditionalParams: opt(z.looseObject({})),
});

// hcsshim's key is `Setting`; the docs call the array `Routes`, read as an alias.
export const HostComputeRoute = z.preprocess(aliasKeys({ Routes: "Setting" }), routeShape);
export type HostComputeRoute = z.infer<typeof HostComputeRoute>;

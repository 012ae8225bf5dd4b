/** pulumi-hns: declarative Windows container networking (HNS) for Pulumi programs. */
export { Network, type NetworkArgs } from "./network";
export { Endpoint, type EndpointArgs } from "./endpoint";
export { Policy, type PolicyArgs } from "./policy";
export { Namespace, type NamespaceArgs } from "./namespace";
export { emulatorHost, localHost, sshHost, winrmHost, type HostArgs } from "./host";
export { Topology, type TopologyArgs } from "./topology";
export type { Plan, TopologyInput, Finding } from "../provider/planner";

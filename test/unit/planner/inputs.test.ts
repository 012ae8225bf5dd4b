// What a Topology endpoint declares of the settings it shares with Endpoint (ENDPOINT_SETTINGS)
// reaches the Endpoint the Topology component creates: plan, then endpointInputs. The sample
// is typed Required<EndpointSettings>, so a setting added to the schema without a value here
// does not compile, and one the plan drops fails below.
import { plan } from "../../../provider/planner";
import { endpointInputs } from "../../../provider/planner/inputs";
import type { EndpointSettings } from "../../../provider/kinds/endpoint/args";

const every: Required<EndpointSettings> = {
  macAddress: "00-15-5D-01-02-03",
  dns: { servers: ["10.0.0.10"], search: ["svc.local"] },
  disableIcc: true,
  isolation: "process",
  hotAdd: false,
};

test("every endpoint setting declared in a topology reaches the Endpoint's inputs", () => {
  const p = plan({ hosts: [{ name: "n1", networks: [{ name: "pods", type: "l2bridge", subnets: [{ prefix: "10.244.1.0/24" }], endpoints: [{ name: "web", ...every }] }] }] });
  expect(p.findings.filter((f) => f.severity === "error")).toEqual([]);
  const inputs = endpointInputs(p.hosts[0].networks[0].endpoints[0]);
  for (const [k, v] of Object.entries(every)) expect([k, inputs[k as keyof typeof inputs]]).toEqual([k, v]);
});

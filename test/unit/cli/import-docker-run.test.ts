/**
 * hns-plan import-docker reading `docker run` lines: each container becomes an endpoint of the
 * network it names, and what Windows refuses (`--ip6`, `--dns-option`) is refused by the
 * planner's own rules, pointing at the line; `docker network connect` adds a hot-added endpoint
 * of a container started above (rule hyperv-hot-add). Before this, every `docker run` and
 * `docker network connect` line was an error ("only docker network create commands can be imported").
 */
import * as ts from "typescript";
import { parse as parseYaml } from "yaml";
import { EXIT } from "../../../provider/cli/commands/command";
import { importDocker } from "../../../provider/cli/docker/import";
import { programNetworks, renderProgram } from "../../../provider/cli/docker/render-ts";
import { renderTopologyYaml } from "../../../provider/cli/docker/render-yaml";
import { parseRun } from "../../../provider/cli/docker/run";
import { splitCommands } from "../../../provider/cli/docker/shell-words";
import { run } from "../../../provider/cli/run";
import type { Terminal } from "../../../provider/cli/terminal";
import { plan, ruleById, Topology } from "../../../provider/planner";
import { EndpointArgs } from "../../../provider/kinds/endpoint/args";
import { tempDir } from "../../helpers/tmp";
import { writeFileSync } from "node:fs";
import * as path from "node:path";

const imported = (text: string) => importDocker([{ name: "t.sh", text }], { host: "h1" });
const parse = (text: string) => parseRun(splitCommands(text)[0]);
/** The refused lines of an import, one "file:line: reason" each. */
const refusedText = (text: string) =>
  importDocker([{ name: "t.sh", text }], { host: "h1" })
    .refused.map((r) => `${r.origin}: ${r.problems.map((p) => p.message).join("; ")}`)
    .join("\n");
const PODS = "docker network create -d l2bridge --subnet 10.244.1.0/24 --gateway 10.244.1.1 -o com.docker.network.windowsshim.disableicc=true pods\n";

/** A deployment script as people keep them: PowerShell continuations, quotes, options after the image left alone. */
const SCRIPT = `${PODS}
docker run -d --rm --name web \`
  --network pods --ip 10.244.1.10 \`
  -p 8080:80 -p 5353:53/udp \`
  --dns 10.96.0.10 --dns-search svc.cluster.local \`
  --mac-address 00-15-5D-44-00-10 \`
  --isolation=hyperv \`
  -e "GREETING=hello world" -v 'C:\\data:C:\\data' \`
  mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022 powershell -c "echo --ip6"
docker run -dit --network=pods -p8081:81 mcr.microsoft.com/windows/nanoserver:ltsc2022
`;

describe("docker run flags", () => {
  test("long and short forms, groups of short booleans, = values; nothing after the image is read", () => {
    const r = parse("docker container run -dit --name=a --net pods -p8080:80 --publish 9090:90 --rm nginx --ip 1.2.3.4");
    expect(r).toMatchObject({ image: "nginx", name: "a", networks: ["pods"], publish: ["8080:80", "9090:90"] });
    expect(r.ip).toBeUndefined();
  });

  test.each([
    ["docker run --frobnicate 1 nginx", 'unknown docker run option "--frobnicate"'],
    ["docker run -Z nginx", 'unknown docker run option "-Z"'],
    ["docker run -d", "the image is missing"],
    ["docker run --ip", "--ip needs a value"],
    ["docker run -P nginx", "docker run -P is not imported: it publishes the image's ports on host ports Docker picks"],
    ["docker run --link-local-ip 169.254.1.1 nginx", "--link-local-ip is not imported"],
  ])("%s → %s", (text, message) => {
    expect(() => parse(text)).toThrow(message);
  });
});

describe("a container becomes an endpoint of the network it names", () => {
  test("every mapped flag lands on the endpoint; the network's disableicc applies; notes say what was derived", () => {
    const r = imported(SCRIPT);
    expect(r.findings).toEqual([]);
    expect(r.networks[0].network.endpoints).toEqual([
      {
        name: "web",
        ipAddress: "10.244.1.10",
        macAddress: "00-15-5D-44-00-10",
        ports: [
          { internalPort: 80, externalPort: 8080 },
          { protocol: "udp", internalPort: 53, externalPort: 5353 },
        ],
        dns: { servers: ["10.96.0.10"], search: ["svc.cluster.local"] },
        isolation: "hyperv",
        disableIcc: true,
      },
      { name: "nanoserver", ports: [{ internalPort: 81, externalPort: 8081 }], disableIcc: true },
    ]);
    expect(r.endpoints.map((e) => [e.origin, e.at])).toEqual([
      ["t.sh:3", [0, 0]],
      ["t.sh:11", [0, 1]],
    ]);
    expect(r.endpoints[1].notes).toEqual(['no --name: the endpoint is named "nanoserver" after the image']);
    // The planner carries the DNS and MAC into the endpoint it plans.
    expect(r.plan.hosts[0].networks[0].endpoints[0]).toMatchObject({ macAddress: "00-15-5D-44-00-10", dns: { servers: ["10.96.0.10"] }, ipv4: { address: "10.244.1.10" } });
  });

  test("no --network: Docker's default nat network comes along, once; --network none makes no endpoint", () => {
    const r = imported("docker run -p 80:80 nginx\ndocker run --network none busybox\ndocker run -p 81:80 nginx");
    expect(r.networks.map((n) => n.network)).toEqual([
      { name: "nat", type: "nat", endpoints: [{ name: "nginx", ports: [{ internalPort: 80, externalPort: 80 }] }, { name: "nginx-2", ports: [{ internalPort: 80, externalPort: 81 }] }] },
    ]);
    expect(r.networks[0].source.command).toMatch(/Docker's default network "nat"/);
    expect(r.findings).toEqual([]);
  });

  test("a container on a network no line creates is refused with the run's place; the network is imported", () => {
    expect(refusedText("docker network create -d nat a\n\ndocker run --network b nginx")).toBe('t.sh:3: docker run uses network "b", which no docker network create in the input creates: add its command');
    expect(imported("docker network create -d nat a\n\ndocker run --network b nginx").networks.map((n) => n.source.name)).toEqual(["a"]);
  });

  test("networks are found by their Docker name, also when networkname gives HNS another", () => {
    const r = imported("docker network create -d nat -o com.docker.network.windowsshim.networkname=MyNat web\ndocker run --network web --name a nginx");
    expect(r.networks[0].network).toMatchObject({ name: "MyNat", endpoints: [{ name: "a" }] });
  });

  test("hostname, aliases and links are Docker's own: dropped with a note", () => {
    const r = imported("docker run --hostname h1 --network-alias api --name a nginx");
    expect(r.endpoints[0].notes.join("\n")).toMatch(/--hostname h1 dropped: it is the container's own host name/);
    expect(r.endpoints[0].notes.join("\n")).toMatch(/--network-alias api dropped/);
  });

  test("-p: ranges pair in order, 0.0.0.0 is every address", () => {
    const r = imported("docker run -p 0.0.0.0:8080-8081:80-81 -p [::]:9090:90/UDP nginx");
    expect(r.networks[0].network.endpoints![0].ports).toEqual([
      { internalPort: 80, externalPort: 8080 },
      { internalPort: 81, externalPort: 8081 },
      { protocol: "udp", internalPort: 90, externalPort: 9090 },
    ]);
  });

  test.each([
    ["-p 80", "leaves the host port to Docker, which a plan cannot know: give it, e.g. -p 8080:80"],
    ["-p 127.0.0.1:80:80", "publishes on one host address (127.0.0.1)"],
    ["-p 80:80/sctp", "HNS publishes tcp or udp ports, not sctp"],
    ["-p 8080-8082:80-81", "ranges differ in length"],
    ["-p 70000:80", 'host port "70000" is not a port'],
    ["--network host", "Windows containers have no host network mode"],
    ["--network container:db", "shares another container's endpoint"],
    ["--network a --network b", "--network is given 2 times"],
    ["--network name=a,ip=10.0.0.5", "give the network by name"],
    ["--isolation vm", '--isolation takes process, hyperv or default, not "vm"'],
  ])("docker run %s → refused, naming the problem and its line", (flags, message) => {
    expect(refusedText(`# c\ndocker run ${flags} nginx`)).toMatch(/^t\.sh:2: /);
    expect(refusedText(`# c\ndocker run ${flags} nginx`)).toContain(message);
  });
});

describe("what Windows refuses, the planner's rules refuse, pointing at the docker run line", () => {
  test.each([
    ["--ip6 fd00::5", "docker-ip6"],
    ["--dns-option ndots:2", "docker-dns-option"],
    ["--ip 10.9.9.9", "address-outside-subnet"],
  ])("%s → rule %s", (flag, rule) => {
    const r = imported(`${PODS}docker run --network pods \\\n  ${flag} --name a nginx`);
    expect(r.refused.map((x) => [x.problems.map((p) => p.rule), x.origin])).toEqual([[[rule], "t.sh:2"]]);
    expect(r.refused[0].problems[0].fix).toBe(ruleById(rule)!.fix);
    // The network line is imported without the container.
    expect(r.networks.map((n) => [n.source.name, n.network.endpoints ?? []])).toEqual([["pods", []]]);
  });

  test("a hyperv container is fine when docker run attaches it at start (no hot-add)", () => {
    const r = imported(`${PODS}docker run --network pods --isolation hyperv nginx`);
    expect(r.networks[0].network.endpoints![0]).toMatchObject({ isolation: "hyperv" });
    expect(r.networks[0].network.endpoints![0].hotAdd).toBeUndefined();
    expect(r.findings).toEqual([]);
  });

  test("the CLI exits 1 on --ip6 and says which line", async () => {
    const tmp = tempDir("hns-import-run-");
    try {
      const input = path.join(tmp.dir, "run.ps1");
      writeFileSync(input, `${PODS}docker run --network pods --ip6 fd00::5 nginx\n`);
      const err: string[] = [];
      const term: Terminal = { out: () => undefined, err: (t) => void err.push(t), paint: (_s, t) => t, progress: () => undefined, done: () => undefined };
      expect(await run(["import-docker", input], term)).toBe(EXIT.invalid);
      expect(err.join("\n")).toMatch(/refused .*run\.ps1:2: docker run --network pods --ip6 fd00::5 nginx\n  docker-ip6: /);
    } finally {
      tmp.cleanup();
    }
  });
});

describe("docker network connect: a further endpoint of a running container (hot-add)", () => {
  const BACKEND = "docker network create -d l2bridge --subnet 10.244.2.0/24 backend\n";

  test("connecting a running Hyper-V isolated container is refused by rule hyperv-hot-add, at the connect line", () => {
    const r = imported(`${PODS}${BACKEND}docker run -d --name web --isolation hyperv --network pods nginx\ndocker network connect --ip 10.244.2.5 backend web`);
    expect(r.networks[1].network.endpoints ?? []).toEqual([]);
    expect(r.refused.map((x) => [x.problems.map((p) => p.rule), x.origin])).toEqual([[["hyperv-hot-add"], "t.sh:4"]]);
    expect(r.refused[0].problems[0].fix).toBe(ruleById("hyperv-hot-add")!.fix);
    expect(r.refused[0].problems[0].dockerOption).toMatch(/--isolation=process/);
  });

  test("a process-isolated container takes it; the note says it is a hot-add; --alias is dropped", () => {
    const r = imported(`${PODS}${BACKEND}docker run -d --name web --isolation process --network pods nginx\ndocker network connect --alias api backend web`);
    expect(r.findings).toEqual([]);
    expect(r.networks[1].network.endpoints).toEqual([{ name: "web", isolation: "process", hotAdd: true }]);
    expect(r.endpoints[1].notes).toEqual(["--alias api dropped: it is a name in Docker's embedded DNS, Docker's own and not part of HNS", "web is running (docker run at t.sh:3): this endpoint is attached to it while it runs (hotAdd)"]);
  });

  test.each([
    ["docker network connect backend web", "t.sh:2: docker network connect: no earlier docker run --name web in the input starts that container"],
    ["docker network connect --frob 1 backend web", 't.sh:2: unknown docker network connect option "--frob"'],
    ["docker network connect -x backend web", 't.sh:2: unknown docker network connect option "-x"'],
    ["docker network connect --driver-opt a=b backend web", "--driver-opt is not imported"],
    ["docker network connect backend", "takes a network and a container, got \"backend\""],
  ])("%s → refused: %s", (line, message) => {
    expect(refusedText(`${BACKEND}${line}`)).toContain(message);
  });
});

describe("outputs carry the endpoints", () => {
  const result = imported(SCRIPT);

  test("yaml: the endpoints with their docker run line above them, a topology the planner accepts", () => {
    const text = renderTopologyYaml(result);
    expect(text).toContain("# t.sh:3: docker run -d --rm --name web --network pods");
    expect(text).toContain('# note: no --name: the endpoint is named "nanoserver" after the image');
    const doc = Topology.parse(parseYaml(text));
    expect(doc.hosts[0].networks![0].endpoints).toHaveLength(2);
    expect(plan(doc).findings).toEqual([]);
  });

  test("ts: one hns.Endpoint per container on its network, arguments that pass EndpointArgs", () => {
    const [pods] = programNetworks(result);
    expect(pods.endpoints.map((e) => [e.resourceName, e.variable])).toEqual([
      ["web", "web"],
      ["nanoserver", "nanoserver"],
    ]);
    for (const e of pods.endpoints) {
      const parsed = EndpointArgs.safeParse({ host: { kind: "emulator", name: "h1" }, network: "4f2a0c3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b", ...e.args });
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    }
    expect(pods.endpoints[0].args).toMatchObject({ name: "web", ipAddress: "10.244.1.10", macAddress: "00-15-5D-44-00-10", dns: { servers: ["10.96.0.10"] }, disableIcc: true });
    const text = renderProgram(result, "h1");
    const out = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
    expect(out.diagnostics).toEqual([]);
    expect(text).toMatch(/const web = new hns\.Endpoint\("web", \{\n\s+host,\n\s+network: pods\.networkId,/);
    expect(text.match(/new hns\.Endpoint\(/g)).toHaveLength(2);
  });
});

/**
 * hns-plan import-docker, the pure half: shell words, `docker network create` flags, and the
 * mapping of every Windows driver option onto the topology (or its refusal).
 */
import { importDocker } from "../../../provider/cli/docker/import";
import { DockerImportError } from "../../../provider/cli/docker/flags";
import { parseNetworkCreate } from "../../../provider/cli/docker/network-create";
import { joinWords, ShellSyntaxError, splitCommands } from "../../../provider/cli/docker/shell-words";
import { toTopologyNetwork } from "../../../provider/cli/docker/to-topology";
import { ruleById } from "../../../provider/planner";

const words = (text: string) => splitCommands(text).map((c) => c.words);
const one = (text: string) => {
  const [cmd, ...rest] = splitCommands(text);
  expect(rest).toEqual([]);
  return toTopologyNetwork(parseNetworkCreate(cmd));
};
const SHIM = "com.docker.network.windowsshim";
const imported = (text: string) => importDocker([{ name: "t.sh", text }], { host: "h1" });

describe("shell words", () => {
  test("quotes: single quotes are literal, double quotes take \\\" \\\\ \\$ escapes, adjacent parts join", () => {
    expect(words(`a 'b c' "d \\"e\\" \\$f \\n" g'h'"i" ''`)).toEqual([["a", "b c", 'd "e" $f \\n', "ghi", ""]]);
  });

  test("backslash outside quotes escapes the next character; $VAR is never expanded", () => {
    expect(words("a\\ b \\'c $HOME")).toEqual([["a b", "'c", "$HOME"]]);
  });

  test("line continuations (\\ and PowerShell `) join lines; CRLF works", () => {
    const text = "docker network create \\\n  -d nat `\r\n  web\r\ndocker network create x";
    expect(splitCommands(text)).toEqual([
      { words: ["docker", "network", "create", "-d", "nat", "web"], line: 1 },
      { words: ["docker", "network", "create", "x"], line: 4 },
    ]);
  });

  test("commands split on newlines, ; and &&; comments and blank lines are skipped", () => {
    const text = "# setup\n\na 1; b 2 && c 3 # trailing\nd#not-a-comment\n";
    expect(splitCommands(text)).toEqual([
      { words: ["a", "1"], line: 3 },
      { words: ["b", "2"], line: 3 },
      { words: ["c", "3"], line: 3 },
      { words: ["d#not-a-comment"], line: 4 },
    ]);
  });

  test("a quoted value may span lines, and the next command's line is still right", () => {
    expect(splitCommands("a 'x\ny'\nb")).toEqual([
      { words: ["a", "x\ny"], line: 1 },
      { words: ["b"], line: 3 },
    ]);
  });

  test("unterminated quotes and pipes are errors with the line", () => {
    expect(() => splitCommands("ok\na 'b")).toThrow(new ShellSyntaxError("unterminated single quote", 2));
    expect(() => splitCommands('a "b')).toThrow(/line 1: unterminated double quote/);
    expect(() => splitCommands("docker network ls | grep x")).toThrow(/pipes/);
  });

  test("joinWords round-trips through splitCommands", () => {
    const w = ["docker", "-o", "x=Ethernet 2", "it's", "", "a\"b", "$x"];
    expect(words(joinWords(w))).toEqual([w]);
  });
});

describe("docker network create flags", () => {
  const parse = (text: string) => parseNetworkCreate(splitCommands(text)[0]);

  test("long and short forms, = and separate values, -dVALUE, comma lists, repeated flags", () => {
    const d = parse(
      "docker.exe network create -dL2Bridge --subnet=10.0.1.0/24,10.0.2.0/24 --subnet 10.0.3.0/24 --gateway 10.0.1.1 -o a=1 --opt=b=2 -o=c=3 --label x=y n1",
    );
    expect(d.driver).toBe("l2bridge");
    expect(d.subnets).toEqual(["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]);
    expect(d.gateways).toEqual(["10.0.1.1"]);
    expect([...d.options]).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
    ]);
    expect(d.labels).toEqual({ x: "y" });
    expect(d.name).toBe("n1");
  });

  test("booleans take an optional =true|false in Go's spellings", () => {
    expect(parse("docker network create --internal --ipv6=false n").internal).toBe(true);
    expect(parse("docker network create --internal=F n").internal).toBe(false);
    expect(() => parse("docker network create --internal=yes n")).toThrow(/--internal takes true or false, not "yes"/);
  });

  test("a repeated -o key keeps the last value, as Docker does", () => {
    expect(parse("docker network create -o a=1 -o a=2 n").options.get("a")).toBe("2");
  });

  test.each([
    ["docker network create -d nat --mtu 1400 n", /unknown docker network create option "--mtu"/],
    ["docker network create -x n", /unknown docker network create option "-x"/],
    ["docker network create -d nat", /the network name is missing/],
    ["docker network create a b", /one network name expected, got "a", "b"/],
    ["docker network create --subnet", /--subnet needs a value/],
    ["docker network create --aux-address 10.0.0.5 n", /--aux-address takes key=value/],
    ["docker ps -a", /only "docker network create", "docker run" and "docker network connect" commands can be imported, not "docker ps -a"/],
    ["docker -H tcp://x network create n", /global docker option "-H"/],
  ])("%s → error naming the problem", (text, message) => {
    expect(() => parse(text)).toThrow(message);
    expect(() => parse(text)).toThrow(DockerImportError);
  });
});

describe("mapping onto the topology", () => {
  test.each(["nat", "transparent", "l2bridge", "l2tunnel", "overlay", "ics", "internal", "private"])("driver %s is the HNS type of that name", (driver) => {
    expect(one(`docker network create -d ${driver.toUpperCase()} n`).network.type).toBe(driver);
  });

  test("no driver is nat, with a note; Linux drivers are refused with the Windows equivalent", () => {
    const n = one("docker network create n");
    expect(n.network.type).toBe("nat");
    expect(n.notes.join("\n")).toMatch(/no -d\/--driver: imported as nat/);
    expect(() => one("docker network create -d bridge n")).toThrow(/use -d nat/);
    expect(() => one("docker network create -d macvlan n")).toThrow(/transparent/);
    expect(() => one("docker network create -d weave n")).toThrow(/unknown driver "weave"/);
  });

  test("--subnet and --gateway: each gateway goes to the subnet that contains it", () => {
    const n = one("docker network create -d l2bridge --subnet 10.0.1.0/24 --subnet 10.0.2.0/24 --gateway 10.0.2.1 --gateway 10.0.1.254 n");
    expect(n.network.subnets).toEqual([
      { prefix: "10.0.1.0/24", gateway: "10.0.1.254" },
      { prefix: "10.0.2.0/24", gateway: "10.0.2.1" },
    ]);
    expect(() => one("docker network create --subnet 10.0.1.0/24 --gateway 10.9.9.1 n")).toThrow(/--gateway 10.9.9.1 is in no --subnet/);
    expect(() => one("docker network create --subnet 10.0.1.0/24 --gateway 10.0.1.1 --gateway 10.0.1.2 n")).toThrow(/two gateways/);
  });

  test("networkname is the HNS name; the Docker name otherwise", () => {
    expect(one(`docker network create -o ${SHIM}.networkname=MyNat n`).network.name).toBe("MyNat");
    expect(one("docker network create n").network.name).toBe("n");
    expect(() => one(`docker network create -o ${SHIM}.networkname= n`)).toThrow(/needs a value/);
  });

  test("interface is the adapter; a SET team list is refused", () => {
    expect(one(`docker network create -d transparent -o "${SHIM}.interface=Ethernet 2" n`).network.adapterName).toBe("Ethernet 2");
    expect(() => one(`docker network create -d transparent -o ${SHIM}.interface=eth0,eth1 n`)).toThrow(/SET team/);
  });

  test("vlanid and vsid go on every subnet; a vsid needs a subnet; both need a number", () => {
    const v = one(`docker network create -d transparent --subnet 10.0.5.0/24 --subnet 10.0.6.0/24 -o ${SHIM}.vlanid=11 n`);
    expect(v.network.subnets).toEqual([
      { prefix: "10.0.5.0/24", vlan: 11 },
      { prefix: "10.0.6.0/24", vlan: 11 },
    ]);
    expect(one(`docker network create -d l2bridge --subnet 10.0.5.0/24 -o ${SHIM}.vsid=5000 n`).network.subnets).toEqual([{ prefix: "10.0.5.0/24", vsid: 5000 }]);
    expect(() => one(`docker network create -d l2bridge -o ${SHIM}.vsid=5000 n`)).toThrow(/vsid needs --subnet/);
    expect(() => one(`docker network create -d transparent --subnet 10.0.5.0/24 -o ${SHIM}.vlanid=eleven n`)).toThrow(/takes a number, not "eleven"/);
  });

  test("overlay vxlanid_list gives the n-th subnet the n-th VNI as its VSID", () => {
    const n = one("docker network create -d overlay --subnet 10.0.1.0/24 --subnet 10.0.2.0/24 -o com.docker.network.driver.overlay.vxlanid_list=4097,4098 n");
    expect(n.network.subnets).toEqual([
      { prefix: "10.0.1.0/24", vsid: 4097 },
      { prefix: "10.0.2.0/24", vsid: 4098 },
    ]);
    expect(() => one("docker network create -d overlay --subnet 10.0.1.0/24 -o com.docker.network.driver.overlay.vxlanid_list=4097,4098 n")).toThrow(/2 VNIs for 1 --subnet/);
    expect(() => one("docker network create -d nat -o com.docker.network.driver.overlay.vxlanid_list=4097 n")).toThrow(/overlay networks only/);
    expect(() =>
      one(`docker network create -d overlay --subnet 10.0.1.0/24 -o ${SHIM}.vsid=4097 -o com.docker.network.driver.overlay.vxlanid_list=4097 n`),
    ).toThrow(/not both/);
  });

  test("dnsservers and dnssuffix are the network's DNS", () => {
    expect(one(`docker network create -o ${SHIM}.dnsservers=10.0.0.10,\\ 8.8.8.8 -o ${SHIM}.dnssuffix=corp.local n`).network.dns).toEqual({
      servers: ["10.0.0.10", "8.8.8.8"],
      domain: "corp.local",
    });
  });

  test("enable_outboundnat with outboundnat_exceptions is outbound NAT with exceptions (an address becomes its /32)", () => {
    const base = `docker network create -d l2bridge --subnet 10.244.1.0/24 -o ${SHIM}.enable_outboundnat=true`;
    expect(one(`${base} n`).network.outboundNat).toBe(true);
    expect(one(`${base} -o ${SHIM}.outboundnat_exceptions=10.96.0.0/12,192.168.1.5 n`).network.outboundNat).toEqual({ exceptions: ["10.96.0.0/12", "192.168.1.5/32"] });
    const off = one(`docker network create -d l2bridge -o ${SHIM}.outboundnat_exceptions=10.96.0.0/12 n`);
    expect(off.network.outboundNat).toBeUndefined();
    expect(off.notes.join("\n")).toMatch(/outboundnat_exceptions dropped/);
    expect(() => one(`${base}=maybe n`)).toThrow(/takes true or false/);
  });

  test("macpool is one start,end range", () => {
    expect(one(`docker network create -o ${SHIM}.macpool=00-15-5D-00-00-00,00-15-5D-00-0F-FF n`).network.macPool).toEqual({ start: "00-15-5D-00-00-00", end: "00-15-5D-00-0F-FF" });
    expect(() => one(`docker network create -o ${SHIM}.macpool=00-15-5D-00-00-00 n`)).toThrow(/odd number/);
    expect(() => one(`docker network create -o ${SHIM}.macpool=a,b,c,d n`)).toThrow(/2 ranges/);
  });

  test("disableicc becomes an endpoint default with a note (the topology sets it per endpoint)", () => {
    const n = one(`docker network create -o ${SHIM}.disableicc=1 n`);
    expect(n.endpointDefaults).toEqual({ disableIcc: true });
    expect(n.notes.join("\n")).toMatch(/disableIcc: true/);
    expect(one(`docker network create -o ${SHIM}.disableicc=false n`).endpointDefaults).toEqual({});
  });

  test("known but unmapped windowsshim options, and unknown options, are errors naming the option", () => {
    expect(() => one(`docker network create -o ${SHIM}.hnsid=abc n`)).toThrow(/hnsid=?.*adopt: \{ id \}/);
    expect(() => one(`docker network create -o ${SHIM}.sourcemac=00-11-22-33-44-55 n`)).toThrow(/sourcemac/);
    expect(() => one(`docker network create -o ${SHIM}.frobnicate=1 n`)).toThrow(`unknown Windows driver option "-o ${SHIM}.frobnicate"`);
    expect(() => one("docker network create -o com.docker.network.driver.mtu=1400 n")).toThrow('unknown driver option "-o com.docker.network.driver.mtu"=1400');
  });

  test("labels and swarm flags are dropped with a note", () => {
    const n = one("docker network create -d overlay --attachable --label a=b n");
    expect(n.notes.join("\n")).toMatch(/--attachable dropped/);
    expect(n.notes.join("\n")).toMatch(/label "a" dropped/);
  });
});

describe("refused Docker options: the planner's own rules say why", () => {
  test.each([
    ["--internal", "docker-internal"],
    ["--ip-range 10.0.1.128/25", "docker-ip-range"],
    ["--aux-address router=10.0.1.5", "docker-aux-address"],
    ["--ipam-driver dhcp", "docker-ipam-driver"],
    ["--ipam-opt a=b", "docker-ipam-opt"],
    ["--ipv6", "docker-ipv6"],
    ["--opt encrypted", "encrypted-overlay"],
    ["-o encrypted=true", "encrypted-overlay"],
  ])("%s → rule %s, pointing at the command", (flag, rule) => {
    const r = imported(`# a comment\ndocker network create -d overlay --subnet 10.0.1.0/24 -o ${SHIM}.vsid=4096 ${flag} n\ndocker network create -d nat --subnet 172.30.0.0/24 ok`);
    // The line is left out, with the rule; the other line is imported.
    expect(r.refused.map((x) => [x.origin, x.problems.map((p) => p.rule)])).toEqual([["t.sh:2", [rule]]]);
    expect(r.networks.map((n) => n.source.name)).toEqual(["ok"]);
    expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
    // The text is the catalog's, not a copy: the fix is the rule's fix.
    expect(r.refused[0].problems[0].fix).toBe(ruleById(rule)!.fix);
  });

  test("an option that is false is not refused", () => {
    expect(imported("docker network create --internal=false --ipv6=0 n").findings).toEqual([]);
  });

  test("other planner rules apply too: a VLAN on nat, a VSID below 4096", () => {
    const r = imported(`docker network create -d nat --subnet 172.30.0.0/24 -o ${SHIM}.vlanid=5 a\ndocker network create -d overlay --subnet 10.0.1.0/24 -o ${SHIM}.vsid=100 b`);
    expect(r.refused.map((x) => [x.problems[0].rule, x.origin])).toEqual([
      ["policy-network-type", "t.sh:1"],
      ["isolation-id-range", "t.sh:2"],
    ]);
    // A VSID out of range is told in Docker's words too.
    expect(r.refused[1].problems[0].dockerOption).toMatch(/-o com\.docker\.network\.driver\.overlay\.vxlanid_list=4096/);
  });

  test("a refused line carries file:line and the rest imports; unreadable or empty input is an error", () => {
    expect(imported("\n\ndocker network create --bogus n\ndocker network create ok").refused).toEqual([
      { origin: "t.sh:3", command: "docker network create --bogus n", problems: [{ message: 'unknown docker network create option "--bogus"' }] },
    ]);
    expect(() => imported("docker network create 'n")).toThrow(/t\.sh:1: unterminated single quote/);
    expect(() => imported("# nothing\n")).toThrow(/no docker network create, docker run or docker network connect command found in t.sh/);
  });
});

/**
 * The commands Microsoft's docs give, imported and planned unchanged: "Windows container network
 * drivers" (learn.microsoft.com/virtualization/windowscontainers/container-networking/
 * network-drivers-topologies, one per driver section) and "Advanced network options in Windows"
 * (…/container-networking/advanced, "Set the VLAN ID for a network"). Before the facts module the
 * last one failed ("vlanid needs --subnet").
 */
describe("Microsoft's docker network create examples", () => {
  const DOCS = [
    'docker network create -d "nat" --subnet "10.244.0.0/24" my_nat',
    'docker network create -d "transparent" --subnet 10.244.0.0/24 --gateway 10.244.0.1 -o com.docker.network.windowsshim.vlanid=7 -o com.docker.network.windowsshim.dnsservers="10.244.0.7" my_transparent',
    'docker network create -d "overlay" --attachable --subnet "10.244.0.0/24" -o com.docker.network.windowsshim.dnsservers="168.63.129.16" -o com.docker.network.driver.overlay.vxlanid_list="4096" my_overlay',
    'docker network create -d "l2bridge" --subnet 10.244.0.0/24 --gateway 10.244.0.1 -o com.docker.network.windowsshim.vlanid=7 -o com.docker.network.windowsshim.dnsservers="10.244.0.7" my_l2bridge',
    "docker network create -d transparent -o com.docker.network.windowsshim.vlanid=11 MyTransparentNetwork",
  ];

  test.each(DOCS)("%s imports and plans with no error", (cmd) => {
    const r = imported(cmd);
    expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test("the VLAN of a transparent network without a subnet stays on the network and isolates each endpoint", () => {
    const r = imported(DOCS[4]);
    expect(r.networks[0].network).toMatchObject({ name: "MyTransparentNetwork", type: "transparent", vlan: 11 });
    expect(r.networks[0].network.subnets).toBeUndefined();
  });
});

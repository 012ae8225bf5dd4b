/**
 * The PowerShell transport through the real engine: three hosts (winrm, ssh, local), each
 * reached through the PowerShell double, which answers from emulator state files. One shell
 * per host for a whole `up`, and no host credential in state or logs, even when a program
 * passes one as a plain string. Insecure WinRM settings are refused unless allowed, and warn.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as hns from "../../sdk";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { hostKeyFor, PwshDouble } from "../doubles/double";
import { capture, newHarness, stateFileText, type Harness } from "./harness";

jest.setTimeout(300_000);

const PASSWORD = "winrm-e2e-Pa$$'w0rd";
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nssh-e2e-key-material-0123456789\n-----END OPENSSH PRIVATE KEY-----";

function program(executable: string): pulumi.automation.PulumiFn {
  return async () => {
    const hosts = [
      hns.winrmHost("w1", "w1.example", { user: "CORP\\admin", password: pulumi.secret(PASSWORD), executable }),
      hns.sshHost("w2", "w2.example", { user: "admin", privateKey: pulumi.secret(KEY), hostKeys: [hostKeyFor("w2.example")], executable }),
      hns.localHost("w3", { executable }),
    ];
    const out: Record<string, pulumi.Output<string>> = {};
    hosts.forEach((host, i) => {
      const net = new hns.Network(`pods${i}`, { host, type: "l2bridge", subnets: [{ prefix: `10.24${i}.0.0/24` }] });
      for (let j = 0; j < 3; j++) {
        const ep = new hns.Endpoint(`pod${i}-${j}`, { host, network: net.networkId });
        out[`ip${i}${j}`] = ep.appliedIpAddress as pulumi.Output<string>;
      }
    });
    return out;
  };
}

let h: Harness;
afterEach(async () => h && (await h.cleanup()));

test("up on 3 hosts spawns exactly 3 shells; secrets stay out of state and logs; destroy empties the hosts", async () => {
  let dbl!: PwshDouble;
  h = await newHarness(async () => program(dbl.executable)());
  dbl = new PwshDouble(path.join(h.dir, "pwsh"));
  dbl.acceptCredentials({ "w1.example": { user: "CORP\\admin", password: PASSWORD }, "w2.example": { user: "admin", privateKey: KEY } });

  const up = await h.stack.up(capture(h));
  expect(up.summary.result).toBe("succeeded");
  expect(up.summary.resourceChanges).toMatchObject({ create: 13 }); // 3 networks, 9 endpoints, the stack
  expect(dbl.spawns()).toHaveLength(3);
  const opened = dbl.events().filter((e) => e.event === "open");
  expect(opened.map((e) => `${e.kind}:${e.host}`).sort()).toEqual(["local:w3", "ssh:w2.example", "winrm:w1.example"]);
  for (const file of ["w1.example", "w2.example", "w3"]) {
    const host = new HnsEmulator(dbl.stateFile(file));
    expect((await host.list("network")).length).toBe(1);
    expect((await host.list("endpoint")).length).toBe(3);
  }
  expect(up.outputs.ip00.value).toMatch(/^10\.240\.0\.\d+$/);

  // No credential in the backend's state file, the engine's output, or the shells' stdin.
  const state = stateFileText(h);
  // (booleans, not toContain: a failure must not print the whole state)
  expect(state.includes('"kind":"winrm"') && state.includes('"kind":"ssh"')).toBe(true);
  expect(state.includes('"password":{"4dabf18193072939515e22adb298388d"')).toBe(true); // kept, encrypted
  for (const secret of [PASSWORD, "ssh-e2e-key-material"]) {
    expect(state.includes(secret)).toBe(false);
    expect(h.log.join("").includes(secret)).toBe(false);
    expect(dbl.stdin().includes(secret)).toBe(false);
  }

  // A no-change preview touches no host at all.
  const pre = await h.stack.preview({ diff: true });
  expect(pre.changeSummary).toEqual({ same: 13 });
  expect(pre.stdout).not.toContain(PASSWORD);
  expect(dbl.spawns()).toHaveLength(3);

  const destroyed = await h.stack.destroy(capture(h));
  expect(destroyed.summary.result).toBe("succeeded");
  for (const file of ["w1.example", "w2.example", "w3"]) expect(await new HnsEmulator(dbl.stateFile(file)).list("network")).toEqual([]);
  expect(h.log.join("")).not.toContain(PASSWORD);
});

/** Warnings the engine showed (diagnostic events of severity "warning"). */
function warningsOf(events: pulumi.automation.EngineEvent[]): string[] {
  return events.filter((e) => e.diagnosticEvent?.severity === "warning").map((e) => e.diagnosticEvent!.message);
}

const PLAIN_PASSWORD = "plain-e2e-password-2024-05-01T10:00:00Z";
const PLAIN_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nplain-e2e-key-material\n-----END OPENSSH PRIVATE KEY-----";
const PLAIN_ACCESS = "plain-e2e-access-key-42";

test("credentials given as plain strings are made secret, with a warning naming the field; state holds them only encrypted", async () => {
  let dbl!: PwshDouble;
  const events: pulumi.automation.EngineEvent[] = [];
  h = await newHarness(async () => {
    const executable = dbl.executable;
    // helper-built blocks, and a raw object handed straight to a resource
    const winrm = hns.winrmHost("p1", "p1.example", { user: "admin", password: PLAIN_PASSWORD, executable });
    const ssh = hns.sshHost("p2", "p2.example", { user: "admin", privateKey: PLAIN_KEY, hostKeys: [hostKeyFor("p2.example")], executable });
    const raw = { kind: "winrm" as const, name: "p3", address: "p3.example", user: "admin", password: PLAIN_PASSWORD, executable };
    const emulator = hns.emulatorHost("p4", { accessKey: PLAIN_ACCESS });
    [winrm, ssh, raw, emulator].forEach((host, i) => {
      const net = new hns.Network(`plain${i}`, { host, type: "nat" });
      new hns.Endpoint(`plain${i}-ep`, { host, network: net.networkId });
    });
  });
  dbl = new PwshDouble(path.join(h.dir, "pwsh"));
  dbl.acceptCredentials({ "p1.example": { user: "admin", password: PLAIN_PASSWORD }, "p2.example": { user: "admin", privateKey: PLAIN_KEY }, "p3.example": { user: "admin", password: PLAIN_PASSWORD } });

  const up = await h.stack.up({ ...capture(h), onEvent: (e) => void events.push(e) });
  expect(up.summary.result).toBe("succeeded");
  // the credentials reached the hosts intact (the sessions opened)
  expect(dbl.events().filter((e) => e.event === "open" && e.ok).map((e) => e.host).sort()).toEqual(["p1.example", "p2.example", "p3.example"]);

  // Automation's exportStack runs `pulumi stack export --show-secrets`: a secret shows there in
  // an envelope marked with Pulumi's secret signature; outside one, it would be stored in clear.
  const exported = JSON.stringify(await h.stack.exportStack());
  const SIG = '"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270"';
  const outsideEnvelopes = exported.split(new RegExp(`\\{${SIG},"plaintext":"(?:[^"\\\\]|\\\\.)*"\\}`)).join("<secret>");
  expect(outsideEnvelopes.includes('"kind":"winrm"') && outsideEnvelopes.includes('"kind":"emulator"')).toBe(true);
  const state = stateFileText(h);
  for (const secret of [PLAIN_PASSWORD, "plain-e2e-key-material", PLAIN_ACCESS]) {
    expect(exported.includes(secret)).toBe(true); // it is in state...
    expect(outsideEnvelopes.includes(secret)).toBe(false); // ...only as a secret
    expect(state.includes(secret)).toBe(false); // and the backend holds it encrypted
    expect(h.log.join("").includes(secret)).toBe(false);
  }
  for (const field of ["password", "privateKey", "accessKey"]) {
    expect(outsideEnvelopes.includes(`"${field}":<secret>`)).toBe(true);
    expect(state.includes(`"${field}":{${SIG.replace(":", ": ")}`) || state.includes(`"${field}":{${SIG}`)).toBe(true);
  }
  const warnings = warningsOf(events).join("\n");
  for (const field of ["password", "privateKey", "accessKey"]) expect(warnings).toMatch(new RegExp(`host\\.${field} of Network plain\\d is a plain string, not a Pulumi secret`));
  expect(warnings).not.toContain(PLAIN_PASSWORD);
});

test("insecure WinRM is refused at check unless allowInsecure, which then warns on every run", async () => {
  let dbl!: PwshDouble;
  let allow = false;
  h = await newHarness(async () => {
    const host = hns.winrmHost("i1", "i1.example", { user: "admin", password: pulumi.secret(PASSWORD), useSsl: false, skipCaCheck: true, ...(allow ? { allowInsecure: true } : {}), executable: dbl.executable });
    new hns.Network("insecure", { host, type: "nat" });
  });
  dbl = new PwshDouble(path.join(h.dir, "pwsh"));
  dbl.acceptCredentials({ "i1.example": { user: "admin", password: PASSWORD } });

  const refused = await h.stack.up(capture(h)).catch((e: unknown) => e as Error);
  expect(String(refused)).toMatch(/property host\.useSsl .*has a problem: WinRM over plain HTTP .*set allowInsecure: true/);
  expect(String(refused)).toMatch(/property host\.skipCaCheck .*has a problem: skipCaCheck accepts any certificate/);
  expect(dbl.spawns()).toHaveLength(0); // refused before any shell started

  allow = true;
  for (const run of ["up", "preview"] as const) {
    const events: pulumi.automation.EngineEvent[] = [];
    const r = run === "up" ? await h.stack.up({ onEvent: (e) => void events.push(e) }) : await h.stack.preview({ onEvent: (e) => void events.push(e) });
    expect(run === "up" ? (r as pulumi.automation.UpResult).summary.result : "succeeded").toBe("succeeded");
    expect(warningsOf(events).join("\n")).toMatch(/host i1 of Network insecure \(winrm i1\.example\) is allowed to be insecure \(allowInsecure: true\): WinRM over plain HTTP.*; skipCaCheck accepts any certificate/);
  }
});

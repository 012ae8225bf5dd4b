/**
 * The PowerShell transport through the real engine: three hosts (winrm, ssh, local), each
 * reached through the PowerShell double, which answers from emulator state files. One shell
 * per host for a whole `up`, and no host credential in state or logs.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as hns from "../../sdk";
import { HnsEmulator } from "../../provider/hosts/emulator";
import { PwshDouble } from "../doubles/double";
import { capture, newHarness, stateFileText, type Harness } from "./harness";

jest.setTimeout(300_000);

const PASSWORD = "winrm-e2e-Pa$$'w0rd";
const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nssh-e2e-key-material-0123456789\n-----END OPENSSH PRIVATE KEY-----";

function program(executable: string): pulumi.automation.PulumiFn {
  return async () => {
    const hosts = [
      hns.winrmHost("w1", "w1.example", { user: "CORP\\admin", password: pulumi.secret(PASSWORD), executable }),
      hns.sshHost("w2", "w2.example", { user: "admin", privateKey: pulumi.secret(KEY), executable }),
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

// Which hosts the contract suite runs against: the stand-ins by default, one real host with
// HNS_TARGET, and a clear error (naming the variable) for anything it cannot use.
import { realHostFromEnv, selectTargets } from "./targets";

test("without HNS_TARGET: the emulator, the PowerShell double and the agent's C# under Mono, none real", () => {
  for (const env of [{}, { HNS_TARGET: "" }]) {
    const targets = selectTargets(env);
    expect(targets.map((t) => t.name)).toEqual(["emulator", "powershell-double", "agent-csharp-mono"]);
    expect(targets.some((t) => t.real)).toBe(false);
  }
});

test("HNS_TARGET=local: this machine only, through the PowerShell HNS_TARGET_SHELL names (pwsh by default)", () => {
  expect(selectTargets({ HNS_TARGET: "local" }).map((t) => [t.name, t.real])).toEqual([["real host (local, pwsh)", true]]);
  expect(realHostFromEnv({ HNS_TARGET: "local", HNS_TARGET_SHELL: "powershell.exe" })).toEqual({ kind: "local", name: "contract-local", executable: "powershell.exe" });
});

test("HNS_TARGET=ssh:user@host[:port] with a key file, and optionally the host's key", () => {
  expect(realHostFromEnv({ HNS_TARGET: "ssh:Administrator@win1.example:2222", HNS_TARGET_KEY_FILE: "/home/me/.ssh/id_ed25519" })).toEqual({
    kind: "ssh",
    name: "contract-remote",
    user: "Administrator",
    address: "win1.example",
    port: 2222,
    keyFile: "/home/me/.ssh/id_ed25519",
  });
  expect(() => realHostFromEnv({ HNS_TARGET: "ssh:Administrator@win1.example" })).toThrow(/HNS_TARGET_KEY_FILE is not set/);
  expect(() => realHostFromEnv({ HNS_TARGET: "ssh:Administrator@win1.example", HNS_TARGET_KEY_FILE: "/k", HNS_TARGET_HOST_KEY: "win1 ssh-ed25519 AAAA" })).toThrow(/HNS_TARGET="ssh:Administrator@win1.example": hostKeys\.0: /);
});

test("HNS_TARGET=winrm:user@host needs HNS_TARGET_PASSWORD", () => {
  expect(realHostFromEnv({ HNS_TARGET: "winrm:admin@10.0.0.5", HNS_TARGET_PASSWORD: "pw" })).toMatchObject({ kind: "winrm", address: "10.0.0.5", user: "admin", password: "pw" });
  expect(() => realHostFromEnv({ HNS_TARGET: "winrm:admin@10.0.0.5" })).toThrow(/HNS_TARGET_PASSWORD is not set/);
});

test.each(["emulator", "ssh:host-without-user", "telnet:a@b", "ssh:-oProxyCommand=x@h"])("HNS_TARGET=%s is refused with the usage", (value) => {
  expect(() => selectTargets({ HNS_TARGET: value, HNS_TARGET_KEY_FILE: "/k" })).toThrow(/HNS_TARGET=/);
});

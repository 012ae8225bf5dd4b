/**
 * `validate --frozen-lock` with a stale lock says so instead of "valid" (exit 3), and prints the
 * lock command as it pastes (npx, the same -f); `lock --json` and `validate --json` report the
 * same decisions for scripts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT } from "../../../provider/cli/commands/command";
import { run } from "../../../provider/cli/run";
import type { Terminal } from "../../../provider/cli/terminal";
import { tempDir } from "../../helpers/tmp";

const tmp = tempDir("hns-lock-json-");
afterAll(tmp.cleanup);

const NAT = "hosts:\n  - name: dev\n    networks:\n      - name: web\n        type: nat\n        subnets: [{ prefix: 172.20.0.0/24 }]\n        endpoints: [{ name: app }, { name: db }]\n";

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const term: Terminal = { out: (t) => void out.push(t), err: (t) => void err.push(t), paint: (_s, t) => t, progress: () => undefined, done: () => undefined };
  const code = await run(args, term);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

let n = 0;
function topology(text = NAT): string {
  const dir = path.join(tmp.dir, `w${++n}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "hns.topology.yaml"), text);
  return path.join(dir, "hns.topology.yaml");
}

test("validate --frozen-lock with a stale lock: no \"valid\", exit 3, and the lock command as it pastes", async () => {
  const file = topology();
  const r = await cli(["validate", "-f", file, "--frozen-lock"]);
  expect(r.code).toBe(EXIT.lockOutdated);
  expect(r.out).not.toMatch(/✓ valid/);
  expect(r.out).toMatch(/✗ lock file out of date: the topology is valid \(1 hosts, 1 networks, 2 endpoints\)/);
  expect(r.err).toContain(`run "npx hns-plan lock -f ${file}" and commit the lock file`);
  // Once locked, the same command is valid.
  expect((await cli(["lock", "-f", file])).code).toBe(EXIT.ok);
  const ok = await cli(["validate", "-f", file, "--frozen-lock"]);
  expect([ok.code, ok.out]).toEqual([EXIT.ok, expect.stringMatching(/✓ valid: 1 hosts/)]);
});

test("validate --json --frozen-lock reports the stale lock", async () => {
  const file = topology();
  const r = await cli(["validate", "-f", file, "--frozen-lock", "--json"]);
  expect(r.code).toBe(EXIT.lockOutdated);
  expect(JSON.parse(r.out)).toMatchObject({ ok: false, lockOutdated: true, findings: [] });
});

test("lock --json: what was added, then nothing; --check --json on a stale lock exits 3 and writes nothing", async () => {
  const file = topology();
  const lockFile = path.join(path.dirname(file), "hns.lock.json");
  const check = await cli(["lock", "-f", file, "--check", "--json"]);
  expect(check.code).toBe(EXIT.lockOutdated);
  expect(JSON.parse(check.out)).toMatchObject({ ok: false, written: false, added: ["dev/web/app", "dev/web/db"] });
  expect(fs.existsSync(lockFile)).toBe(false);

  const first = await cli(["lock", "-f", file, "--json"]);
  expect(first.code).toBe(EXIT.ok);
  expect(JSON.parse(first.out)).toEqual({ ok: true, lockFile, written: true, added: ["dev/web/app", "dev/web/db"], moved: [], released: [], findings: [] });
  expect(JSON.parse(fs.readFileSync(lockFile, "utf8")).endpoints).toEqual({ "dev/web/app": { ipv4: "172.20.0.2" }, "dev/web/db": { ipv4: "172.20.0.3" } });
  expect(JSON.parse((await cli(["lock", "-f", file, "--json"])).out)).toMatchObject({ ok: true, written: false, added: [] });
});

test("lock --json on a topology that breaks a rule: ok false, the findings, exit 1", async () => {
  const file = topology(NAT.replace("172.20.0.0/24", "172.20.0.0/33"));
  const r = await cli(["lock", "-f", file, "--json"]);
  expect(r.code).toBe(EXIT.invalid);
  const report = JSON.parse(r.out);
  expect(report.ok).toBe(false);
  expect(report.findings.length).toBeGreaterThan(0);
});

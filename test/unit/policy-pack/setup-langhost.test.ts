/**
 * scripts/setup-pulumi.sh rebuilds the language host when its source changes, so a host that
 * gained RunPlugin (what `pulumi preview --policy-pack` needs) reaches a machine whose cache holds
 * an older build; and two runs sharing one cache take turns, so they build it once. The script
 * runs from a copy of the repository's layout (its own tools/language-host to change) with a
 * stand-in `go` that records what it is asked and makes stand-in binaries.
 */
import { spawn } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeFakeGo } from "../../helpers/fake-go";

// Each test starts a few dozen short processes; on a loaded machine that takes more than jest's 5 s.
jest.setTimeout(120_000);

const REPO = path.resolve(__dirname, "../../..");
const VERSION = "3.248.0";

interface Sandbox {
  dir: string;
  run(onStderr?: (text: string) => void): Promise<{ status: number | null; stderr: string }>;
  /** The go commands run so far. */
  calls(): string[];
  hostSource: string;
  /** Lets a waiting stand-in language host build finish. */
  release(): void;
}

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function sandbox(opts: { holdHostBuild?: boolean } = {}): Sandbox {
  const dir = mkdtempSync(path.join(os.tmpdir(), "setup-langhost-"));
  made.push(dir);
  const repo = path.join(dir, "repo");
  mkdirSync(path.join(repo, "scripts"), { recursive: true });
  mkdirSync(path.join(repo, "tools", "language-host"), { recursive: true });
  copyFileSync(path.join(REPO, "scripts", "setup-pulumi.sh"), path.join(repo, "scripts", "setup-pulumi.sh"));
  const hostSource = path.join(repo, "tools", "language-host", "main.go");
  writeFileSync(hostSource, "package main\n");
  const calls = path.join(dir, "calls.log");
  const release = path.join(dir, "release");
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  writeFakeGo(path.join(bin, "go"), { calls, version: VERSION, ...(opts.holdHostBuild ? { hold: { build: "other" as const, until: release } } : {}) });
  const PATH = [bin, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter);
  const env = { PATH, HOME: dir, PULUMI_VERSION: VERSION, PULUMI_HNS_CACHE: path.join(dir, "cache"), PULUMI_HNS_PROGRESS_EVERY: "600" };
  return {
    dir,
    hostSource,
    calls: () => (existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : []),
    release: () => writeFileSync(release, ""),
    run: (onStderr) =>
      new Promise((resolve) => {
        const child = spawn("bash", [path.join(repo, "scripts", "setup-pulumi.sh"), "--nodejs-only"], { env, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d) => {
          stderr += d;
          onStderr?.(stderr);
        });
        child.on("close", (status) => resolve({ status, stderr }));
      }),
  };
}

const hostBuilds = (calls: string[]) => calls.filter((c) => c.startsWith("go build") && c.endsWith("./langhost"));
const cliBuilds = (calls: string[]) => calls.filter((c) => c.startsWith("go build") && c.endsWith("/cmd/pulumi"));

test("a changed language host source is rebuilt on the next run; an unchanged one is taken from the cache", async () => {
  const s = sandbox();
  expect((await s.run()).status).toBe(0);
  expect([cliBuilds(s.calls()).length, hostBuilds(s.calls()).length]).toEqual([1, 1]);

  const again = await s.run();
  expect(again.status).toBe(0);
  expect(again.stderr).toContain("using cached pulumi");
  expect(hostBuilds(s.calls())).toHaveLength(1);

  appendFileSync(s.hostSource, "// RunPlugin\n");
  const changed = await s.run();
  expect(changed.status).toBe(0);
  // Only the host: the CLI in the cache is still the right version.
  expect([cliBuilds(s.calls()).length, hostBuilds(s.calls()).length]).toEqual([1, 2]);
});

test("two runs on one cache take turns: the second waits and then uses what the first built", async () => {
  const s = sandbox({ holdHostBuild: true });
  let second: Promise<{ status: number | null; stderr: string }> | undefined;
  let released = false;
  const first = s.run((text) => {
    // Once the first is compiling the host, start the second; once the second says it waits (or,
    // without turns, starts compiling too), let the first finish.
    if (!second && text.includes("compiling pulumi-language-nodejs")) {
      second = s.run((t) => {
        if (!released && /waiting for another setup-pulumi.sh run|compiling pulumi-language-nodejs/.test(t)) {
          released = true;
          s.release();
        }
      });
    }
  });
  const a = await first;
  const b = await second!;
  expect([a.status, b.status]).toEqual([0, 0]);
  expect(b.stderr).toContain("using cached pulumi");
  expect(hostBuilds(s.calls())).toHaveLength(1);
});

/**
 * Hostile YAML (issue 22): an alias bomb, a custom tag, an oversized document each get a clear
 * input error (exit 2, no stack trace) before the planner sees anything; the limits are the ones
 * TOPOLOGY_LIMITS declares and docs/security.md states. Negative controls: a topology using a
 * few aliases and standard tags is read as before.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseTopologyText, readTopology, TOPOLOGY_LIMITS } from "../../../provider/topology-files";
import { runCli } from "../../helpers/cli";
import { tempDir } from "../../helpers/tmp";

const tmp = tempDir();
afterAll(tmp.cleanup);

const cli = (args: string[]) => runCli(args);

function topology(name: string, text: string): string {
  const file = path.join(tmp.dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const HOST = "hosts:\n  - name: dev\n    networks:\n      - { name: web, type: nat, subnets: [{ prefix: 172.20.0.0/24 }], endpoints: [{ name: app }] }\n";

/** Nine levels of nine aliases each: 9^9 nodes once expanded ("billion laughs"). */
function aliasBomb(): string {
  let text = `a0: &a0 [x, x, x, x, x, x, x, x, x]\n`;
  for (let i = 1; i <= 9; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]\n`;
  return HOST + text;
}

test("an alias bomb: exit 2 naming the limit, no stack trace", async () => {
  const r = await cli(["validate", "-f", topology("bomb.yaml", aliasBomb())]);
  expect(r.code).toBe(2);
  expect(r.err).toContain(`bomb.yaml: its aliases expand to more than ${TOPOLOGY_LIMITS.maxAliasCount} times the nodes they name`);
  expect(r.err).toContain("write the repeated parts out, or use fewer nested aliases");
  expect(r.err).not.toMatch(/ReferenceError|\n\s+at /);
});

test.each([
  ["!!js/function", "x: !!js/function 'function () { return 1 }'\n"],
  ["!!js/undefined", "x: !!js/undefined ''\n"],
  ["!!binary", "x: !!binary aGVsbG8=\n"],
  ["!!set", "x: !!set { a, b }\n"],
  ["a local tag", "x: !pwn 1\n"],
])("a %s tag is refused (exit 2), not read as a string", async (_tag, line) => {
  const r = await cli(["validate", "-f", topology(`tag-${_tag.replace(/\W/g, "")}.yaml`, HOST + line)]);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/Unresolved tag/);
  expect(r.err).toContain("a topology holds plain data only: remove the tag");
});

test("a document over the size limit is refused before it is parsed (a 20 MB scalar, a huge endpoint list)", async () => {
  const scalar = topology("scalar.yaml", `${HOST}x: "${"a".repeat(20 * 1024 * 1024)}"\n`);
  const r = await cli(["validate", "-f", scalar]);
  expect(r.code).toBe(2);
  expect(r.err).toContain(`scalar.yaml is larger than ${TOPOLOGY_LIMITS.maxBytes} bytes, the most a topology file may have`);
  expect(r.err).toContain("split the hosts over several topology files");
  const endpoints = Array.from({ length: 250_000 }, (_, i) => `{ name: e${i} }`).join(", ");
  expect(() => parseTopologyText(`${HOST}extra: [${endpoints}]\n`, "big.yaml")).toThrow(`big.yaml is larger than ${TOPOLOGY_LIMITS.maxBytes} bytes`);
});

test("a device that never ends, and a FIFO no one writes, are refused unread", () => {
  // /dev/zero never ends (read whole, it would exhaust memory); a FIFO's open would wait for a writer.
  expect(() => readTopology("/dev/zero")).toThrow("/dev/zero is not a regular file");
  const fifo = path.join(os.tmpdir(), `yaml-limits-fifo-${process.pid}`);
  execFileSync("mkfifo", [fifo]);
  try {
    expect(() => readTopology(fifo)).toThrow(`${fifo} is not a regular file`);
  } finally {
    fs.rmSync(fifo, { force: true });
  }
});

test("negative controls: a few aliases, standard tags, and a document just under the limit are read", async () => {
  const withAliases = `defaults: &subnet { prefix: 172.20.0.0/24 }\nhosts:\n  - name: dev\n    networks:\n      - { name: web, type: nat, subnets: [*subnet], endpoints: [{ name: !!str app }] }\n`;
  expect((await cli(["validate", "-f", topology("ok.yaml", withAliases)])).code).not.toBe(2);
  const padded = HOST + `# ${"x".repeat(TOPOLOGY_LIMITS.maxBytes - HOST.length - 10)}\n`;
  expect(Buffer.byteLength(padded)).toBeLessThanOrEqual(TOPOLOGY_LIMITS.maxBytes);
  expect(parseTopologyText(padded, "padded.yaml")).toMatchObject({ hosts: [{ name: "dev" }] });
});

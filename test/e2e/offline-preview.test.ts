/**
 * The GitOps promise: `pulumi preview` of a stack whose hosts are unreachable remote Windows
 * machines completes, shows every planned address, and never tries to connect. The shell the
 * transport would start for those hosts is a tripwire that records any start.
 */
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { capture, newHarness, type Harness } from "./harness";

jest.setTimeout(300_000);

let h: Harness;
afterEach(async () => h && (await h.cleanup()));

test("preview of the GitOps example against unreachable WinRM hosts: addresses shown, nothing contacted", async () => {
  h = await newHarness(async () => {
    // The example program itself, as its Pulumi.yaml would run it. (No jest.resetModules():
    // the program must share the test's @pulumi/pulumi, which the engine connection lives in.)
    return require("../../examples/gitops/index");
  }, "hns-gitops");
  const marker = path.join(h.dir, "spawned");
  const tripwire = path.join(h.dir, "pwsh-tripwire");
  writeFileSync(tripwire, `#!/bin/sh\necho "$@" >> '${marker}'\nexit 1\n`);
  chmodSync(tripwire, 0o755);
  // TEST-NET-1 addresses (RFC 5737): nothing answers there.
  const hosts = Object.fromEntries(["win-node-1", "win-node-2", "dev-box"].map((n, i) => [n, { address: `192.0.2.${11 + i}`, user: "hns-deploy", executable: tripwire }]));
  await h.stack.setAllConfig({
    target: { value: "hosts" },
    hosts: { value: JSON.stringify(hosts) },
    winrmPassword: { value: "pr3view-only-s3cret", secret: true },
  });

  const preview = await h.stack.preview({ ...capture(h), diff: true });
  const log = h.log.join("");
  expect(preview.changeSummary).toMatchObject({ create: 1 + 1 + 3 + 6 + 1 }); // stack + topology + 3 networks + 6 endpoints + 1 LB
  // Addresses from the committed lock file are in the preview, as planned.
  expect(log).toMatch(/win-node-1\/cbr0\/web-1\s*:\s*"10\.244\.1\.3"/);
  expect(log).toMatch(/win-node-2\/cbr0\/host-ep\s*:\s*"10\.244\.2\.2"/);
  expect(log).toMatch(/ipAddress\s*:\s*"10\.244\.1\.4"/);
  // No shell was started, so no connection was attempted; no emulator stood in either.
  expect(existsSync(marker)).toBe(false);
  expect(existsSync(path.join(h.dir, "hns"))).toBe(false);
  expect(log).not.toContain("pr3view-only-s3cret");
});

/**
 * The fleet runner with stand-in stacks (the engine itself runs in test/e2e/fleet.test.ts): at
 * most K stacks at once, a failing stack does not stop the others and is named with the engine's
 * error lines, skipped and stopped stacks do not run, and the exit status says how it went.
 */
import type { Stack } from "@pulumi/pulumi/automation";
import { runFleet } from "../../../provider/fleet/run";
import { FLEET_EXIT, fleetExitCode, summaryLines, totals } from "../../../provider/fleet/report";
import { EXIT } from "../../../provider/cli/commands/command";
import type { FleetGroup } from "../../../provider/fleet/split";

const groups: FleetGroup[] = Array.from({ length: 7 }, (_, i) => ({ stack: `f-${i + 1}`, hosts: [`h${i}`] }));

/** A stand-in stack whose up takes a few turns of the event loop, prints two lines in odd chunks, and fails for `failing`. */
function fakeStacks(failing: Set<string>) {
  let running = 0;
  let peak = 0;
  const started: string[] = [];
  const open = async (g: FleetGroup) =>
    ({
      up: async (o: { onOutput: (s: string) => void }) => {
        started.push(g.stack);
        peak = Math.max(peak, ++running);
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
        o.onOutput(`Updating (${g.stack}):\n  + net`);
        o.onOutput(failing.has(g.stack) ? "work created\n    error: host refused the call\n    error: update failed\n" : "work created\n");
        running--;
        if (failing.has(g.stack)) throw new Error("code: 255\n stdout: ...");
        return { summary: { resourceChanges: { create: 2, same: 1 } } };
      },
    }) as unknown as Stack;
  return { open, peak: () => peak, started };
}

test("at most K at once; a failing stack does not stop the others and is named with the engine's error", async () => {
  const fake = fakeStacks(new Set(["f-3"]));
  const lines: string[] = [];
  const out = await runFleet(groups, "up", fake.open, { concurrency: 3, onLine: (s, l) => lines.push(`[${s}] ${l}`) });
  expect(fake.peak()).toBe(3);
  expect(out.map((o) => [o.stack, o.result])).toEqual(groups.map((g) => [g.stack, g.stack === "f-3" ? "failed" : "succeeded"]));
  expect(out.find((o) => o.stack === "f-3")!.error).toBe("host refused the call");
  expect(out.find((o) => o.stack === "f-1")).toMatchObject({ changes: { create: 2, same: 1 }, changed: 2 });
  // Whole lines, each under its stack's prefix, however the chunks fell.
  expect(lines).toContain("[f-2]   + network created");
  expect(fleetExitCode(out)).toBe(FLEET_EXIT.someFailed);
  expect(totals(out)).toEqual({ stacks: 7, succeeded: 6, failed: 1, skipped: 0, changed: 6 });
  expect(summaryLines("fleet f up", out).slice(-2)).toEqual(["7 stacks: 6 succeeded, 1 failed, 0 skipped, 6 changed", "not done: f-3"]);
});

test("concurrency 1 runs the stacks one by one in split order", async () => {
  const fake = fakeStacks(new Set());
  await runFleet(groups, "up", fake.open, { concurrency: 1 });
  expect(fake.peak()).toBe(1);
  expect(fake.started).toEqual(groups.map((g) => g.stack));
});

test("skipped stacks and, once stopped, pending stacks do not run", async () => {
  const fake = fakeStacks(new Set());
  const out = await runFleet(groups.slice(0, 3), "up", fake.open, { concurrency: 1, skip: new Map([["f-2", "gains hosts still deployed by f-9"]]) });
  expect(out.map((o) => o.result)).toEqual(["succeeded", "skipped", "succeeded"]);
  expect(fake.started).toEqual(["f-1", "f-3"]);
  const stop = new AbortController();
  stop.abort();
  const stopped = await runFleet(groups.slice(0, 2), "up", fakeStacks(new Set()).open, { concurrency: 2, signal: stop.signal });
  expect(stopped.map((o) => [o.result, o.error])).toEqual([
    ["skipped", "stopped before it started"],
    ["skipped", "stopped before it started"],
  ]);
  expect(fleetExitCode(stopped)).toBe(FLEET_EXIT.allFailed);
});

test("exit statuses: 0 all succeeded, 6 none did; the fleet's statuses are none of the CLI's others", async () => {
  expect(fleetExitCode(await runFleet(groups, "up", fakeStacks(new Set()).open, { concurrency: 4 }))).toBe(0);
  expect(fleetExitCode(await runFleet(groups.slice(0, 2), "up", fakeStacks(new Set(["f-1", "f-2"])).open, { concurrency: 4 }))).toBe(FLEET_EXIT.allFailed);
  expect(fleetExitCode([])).toBe(0);
  // The CLI's table lists the fleet's statuses once each, apart from every other status.
  const { fleetSomeFailed, fleetAllFailed, ...others } = EXIT;
  expect([fleetSomeFailed, fleetAllFailed]).toEqual([FLEET_EXIT.someFailed, FLEET_EXIT.allFailed]);
  for (const code of Object.values(FLEET_EXIT)) expect(new Set<number>(Object.values(others)).has(code)).toBe(false);
});

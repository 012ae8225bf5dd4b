// Reconcile over stand-in stacks (the Automation API's Stack, as far as reconcile uses it): each
// cycle refreshes every stack and ups the drifted ones and those whose last update failed. A
// stack's history is read once, when reconcile starts, not once per cycle (each read is a
// `pulumi stack history` process); after that its own ups say how each stack's last update ended.
import type { Stack } from "@pulumi/pulumi/automation";
import { reconcile, type Cycle } from "../../../provider/fleet/reconcile";
import type { FleetStacks } from "../../../provider/fleet/operation";
import type { FleetGroup } from "../../../provider/fleet/split";

interface Script {
  /** Resources each cycle's refresh changes (drift found), by cycle; 0 when not listed. */
  drift?: Record<number, number>;
  /** Whether each up succeeds, in order; true when not listed. */
  ups?: boolean[];
  /** How the last update before reconcile ended. */
  lastUpdate?: "succeeded" | "failed";
}

function fleet(scripts: Record<string, Script>) {
  const calls: string[] = [];
  let cycle = 0;
  const ups = new Map<string, number>();
  const stackOf = (name: string): Stack => {
    const s = scripts[name];
    return {
      refresh: async () => {
        calls.push(`refresh ${name}`);
        return { summary: { resourceChanges: { update: s.drift?.[cycle] ?? 0, same: 3 } } };
      },
      up: async () => {
        calls.push(`up ${name}`);
        const n = ups.get(name) ?? 0;
        ups.set(name, n + 1);
        if (s.ups?.[n] === false) throw new Error(`up of ${name} failed`);
        return { summary: { resourceChanges: { create: 1 } } };
      },
      history: async () => {
        calls.push(`history ${name}`);
        return s.lastUpdate ? [{ kind: "refresh", result: "succeeded" }, { kind: "update", result: s.lastUpdate }] : [];
      },
    } as unknown as Stack;
  };
  const groups: FleetGroup[] = Object.keys(scripts).map((stack) => ({ stack, hosts: [`${stack}-host`] }));
  const stacks: FleetStacks = {
    open: async (g) => stackOf(g.stack),
    holdings: async () => new Map(groups.map((g) => [g.stack, g.hosts])),
  };
  return { groups, stacks, calls, nextCycle: () => cycle++ };
}

async function cycles(scripts: Record<string, Script>, count: number) {
  const f = fleet(scripts);
  const seen: Cycle[] = [];
  const stop = new AbortController();
  f.nextCycle();
  await reconcile(f.groups, f.stacks, {
    concurrency: 2,
    intervalSeconds: 0,
    once: false,
    signal: stop.signal,
    onCycle: (c) => {
      seen.push(c);
      if (seen.length === count) stop.abort();
      else f.nextCycle();
    },
  });
  const healedIn = seen.map((c) => c.healed.map((o) => `${o.stack}:${o.result}`));
  return { calls: f.calls, healedIn };
}

test("histories are read once, not each cycle", async () => {
  const { calls } = await cycles({ a: {}, b: {}, c: {} }, 3);
  expect(calls.filter((c) => c.startsWith("history")).sort()).toEqual(["history a", "history b", "history c"]);
  expect(calls.filter((c) => c.startsWith("refresh"))).toHaveLength(9);
  expect(calls.filter((c) => c.startsWith("up"))).toEqual([]);
});

test("only drifted stacks are upped, in the cycle their refresh found drift", async () => {
  const { healedIn } = await cycles({ a: { drift: { 2: 1 } }, b: {}, c: { drift: { 1: 2, 3: 1 } } }, 3);
  expect(healedIn).toEqual([["c:succeeded"], ["a:succeeded"], ["c:succeeded"]]);
});

test("a stack whose last up failed before reconcile is upped in the first cycle, and not again once healed", async () => {
  const { healedIn } = await cycles({ a: { lastUpdate: "failed" }, b: { lastUpdate: "succeeded" } }, 3);
  expect(healedIn).toEqual([["a:succeeded"], [], []]);
});

test("an up that fails in a cycle is tried again the next cycle, with no drift and no history read", async () => {
  const { calls, healedIn } = await cycles({ a: { drift: { 1: 1 }, ups: [false, false, true] }, b: {} }, 4);
  expect(healedIn).toEqual([["a:failed"], ["a:failed"], ["a:succeeded"], []]);
  expect(calls.filter((c) => c === "history a")).toHaveLength(1);
});

// The session pool with real shells: PowerShellClient over the PowerShell double, whose
// processes count themselves (process-count.ts), so the cap is measured outside the pool.
// Idle timers here are fired by the test; nothing waits on the clock.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { isHnsError } from "../../../../provider/vocabulary/errors";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import type { LocalHost } from "../../../../provider/hosts/host";
import { PowerShellClient, SessionPool } from "../../../../provider/hosts/powershell";
import type { IdleTimer } from "../../../../provider/hosts/powershell/pool";
import {
  DEFAULT_MAX_SESSIONS,
  DEFAULT_SESSION_IDLE_SECONDS,
  MAX_SESSIONS_ENV,
  MAX_SESSIONS_LIMIT,
  SESSION_IDLE_ENV,
  SESSION_IDLE_LIMIT_SECONDS,
  sessionLimits,
} from "../../../../provider/hosts/powershell/session-limits";
import { tempDir } from "../../../helpers/tmp";
import { errorOf, thrownBy } from "../../../helpers/fixtures";
import { CountedDouble } from "./process-count";

// Each test starts PowerShell doubles (Node processes); a loaded machine needs more than jest's 5 s.
jest.setTimeout(120_000);

const tmp = tempDir("hns-pool-");
const open: PowerShellClient[] = [];
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  tmp.cleanup();
});

let doubles = 0;
/** A double of its own per test, so counts and events are this test's alone. */
function counted() {
  return new CountedDouble(path.join(tmp.dir, `double-${++doubles}`));
}

/** Idle timers that run only when the test fires them. */
function manualTimers() {
  const pending = new Set<() => void>();
  const timer: IdleTimer = (fire) => {
    pending.add(fire);
    return () => pending.delete(fire);
  };
  return {
    timer,
    fireAll() {
      const due = [...pending];
      pending.clear();
      for (const f of due) f();
    },
  };
}

/** A pool whose idle timers never fire by themselves: only a waiting host takes a slot. */
const poolOf = (size: number, timer = manualTimers().timer) => new SessionPool(size, 3_600_000, timer);

function clientOf(c: CountedDouble, name: string, pool: SessionPool, extra: Partial<LocalHost> = {}) {
  const client = new PowerShellClient({ kind: "local", name, executable: c.executable, ...extra }, { pool, retry: { attempts: 3, backoffMs: 1 } });
  open.push(client);
  return client;
}

/** A NAT network's settings on 10.9.<n>.0/24. */
const nat = (name: string, n = 0) => ({ Name: name, Type: "NAT", Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: `10.9.${n}.0/24`, Routes: [{ NextHop: `10.9.${n}.1`, DestinationPrefix: "0.0.0.0/0" }] }] }] });

/**
 * `hosts` hosts, each sent `perHost` overlapping rounds of calls at once (version, list, create,
 * get, delete), all hosts at the same time. Returns the most double processes alive at once.
 */
async function busyFleet(c: CountedDouble, pool: SessionPool, hosts: number, perHost: number): Promise<number> {
  const clients = Array.from({ length: hosts }, (_, h) => clientOf(c, `fleet${doubles}-${h}`, pool));
  await Promise.all(
    clients.flatMap((client) =>
      Array.from({ length: perHost }, async (_, i) => {
        await client.version();
        await client.list("network");
        const net = await client.create("network", nat(`n${i}`, i));
        await client.get("network", net.ID!);
        await client.delete("network", net.ID!);
      }),
    ),
  );
  await Promise.all(clients.map((x) => x.close()));
  return c.peak();
}

describe("the cap", () => {
  test("12 hosts with overlapping calls through a pool of 3: never more than 3 PowerShell processes, every call done", async () => {
    const c = counted();
    const peak = await busyFleet(c, poolOf(3), 12, 3);
    expect(c.started()).toBeGreaterThanOrEqual(12); // every host had a session
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(3);
    expect(c.dbl.calls({ op: "create" }).length).toBe(12 * 3);
  });

  test("negative control: the same fleet through a pool that does not cap shows more than 3 processes at once", async () => {
    const c = counted();
    const peak = await busyFleet(c, poolOf(1000), 12, 3);
    expect(peak).toBeGreaterThan(3);
  });

  test("pool size 1, three hosts, calls to all at once: every call completes, one process at a time", async () => {
    const c = counted();
    const peak = await busyFleet(c, poolOf(1), 3, 2);
    expect(peak).toBe(1);
    expect(c.dbl.calls({ op: "delete" }).length).toBe(3 * 2);
  });
});

test("calls to one host stay in the order they were made, while hosts take turns at a pool of 2", async () => {
  const c = counted();
  const pool = poolOf(2);
  const names = ["o1", "o2", "o3", "o4", "o5"];
  const ops = ["version", "list", "create", "list", "query", "delete", "version"];
  await Promise.all(
    names.map(async (name) => {
      const client = clientOf(c, name, pool);
      const hns = new HnsEmulator(c.dbl.stateFile(name));
      const net = await hns.create("network", nat("pods"));
      // All seven issued before any answers: the session must send them in this order.
      await Promise.all([
        client.version(),
        client.list("network"),
        client.create("network", nat("web", 1)),
        client.list("network", { Name: "web" }),
        client.get("network", net.ID!),
        client.delete("network", net.ID!),
        client.version(),
      ]);
    }),
  );
  for (const name of names) expect([name, c.dbl.calls().filter((e) => e.host === name).map((e) => e.op)]).toEqual([name, ops]);
  expect(c.peak()).toBeLessThanOrEqual(2);
});

test("an idle session is closed politely when its timer fires, and the host's next call opens a new one", async () => {
  const c = counted();
  const timers = manualTimers();
  const pool = poolOf(1, timers.timer);
  const client = clientOf(c, "idle1", pool);
  await client.version();
  const opens = () => c.dbl.events().filter((e) => e.event === "open" && e.host === "idle1");
  const closes = () => c.dbl.events().filter((e) => e.event === "close" && e.host === "idle1");
  expect(opens().length).toBe(1);
  expect(pool.open).toBe(1);
  expect(closes()).toEqual([]); // idle, not yet timed out
  timers.fireAll();
  // With one slot, the new session can start only once the old process has exited.
  expect((await client.list("network")).length).toBe(0);
  expect(opens().length).toBe(2);
  expect(closes().map((e) => e.pid)).toEqual([opens()[0].pid]); // Close-HnsSession, then the exit
  expect(opens()[1].pid).not.toBe(opens()[0].pid);
  expect(client.shellsStarted).toBe(2);
  expect(c.peak()).toBe(1);
});

test("a session that died mid-call frees its slot: with one slot, the host's queued call still runs on a new process", async () => {
  const c = counted();
  const pool = poolOf(1);
  const client = clientOf(c, "dead1", pool);
  await client.version();
  c.dbl.inject({ mode: "drop-after", op: "create", host: "dead1" }); // applied, then the process exits
  // Both queued at once: the session stays busy with the list while the create's process dies.
  const [created, listed] = await Promise.allSettled([client.create("network", nat("lost-reply")), client.list("network")]);
  expect(created.status).toBe("rejected");
  expect(isHnsError((created as PromiseRejectedResult).reason) && (created as PromiseRejectedResult).reason.code).toBe("ReplyLost");
  expect(listed.status === "fulfilled" && listed.value.map((n) => n.Name)).toEqual(["lost-reply"]);
  expect(client.shellsStarted).toBe(2);
  expect(c.dbl.events().filter((e) => e.event === "close")).toEqual([]); // died, never closed politely
  // and the slot went back for other hosts too
  expect(await clientOf(c, "dead2", pool).list("network")).toEqual([]);
  expect(c.peak()).toBe(1);
});

test("a host that needs a slot takes it from the least recently used idle host, not the one used last", async () => {
  const c = counted();
  const pool = poolOf(2);
  const [a, b, d] = ["lru-a", "lru-b", "lru-d"].map((n) => clientOf(c, n, pool));
  await a.version();
  await b.version();
  await a.version(); // a used after b: b is the least recently used
  await d.version();
  const closed = c.dbl.events().filter((e) => e.event === "close").map((e) => e.host);
  expect(closed).toEqual(["lru-b"]);
  await a.version(); // still open: no new process
  expect(a.shellsStarted).toBe(1);
});

describe("the limits in the environment", () => {
  test("defaults when unset; values are read as numbers", () => {
    expect(sessionLimits({})).toEqual({ maxSessions: DEFAULT_MAX_SESSIONS, idleSeconds: DEFAULT_SESSION_IDLE_SECONDS });
    expect(sessionLimits({ [MAX_SESSIONS_ENV]: " 3 ", [SESSION_IDLE_ENV]: "0.5" })).toEqual({ maxSessions: 3, idleSeconds: 0.5 });
  });

  test.each([
    [MAX_SESSIONS_ENV, "0", /a whole number from 1 to 1024/],
    [MAX_SESSIONS_ENV, "1025", /a whole number from 1 to 1024/],
    [SESSION_IDLE_ENV, "3601", /at most 3600/],
    [MAX_SESSIONS_ENV, "2.5", /a whole number/],
    [MAX_SESSIONS_ENV, "eight", /a whole number/],
    [SESSION_IDLE_ENV, "0", /above 0/],
    [SESSION_IDLE_ENV, "-1", /above 0/],
    // Number() reads these as 8, 3 and 100; a decimal is what the docs ask for.
    [MAX_SESSIONS_ENV, "0x8", /a whole number/],
    [MAX_SESSIONS_ENV, "0b11", /a whole number/],
    [MAX_SESSIONS_ENV, "1e2", /a whole number/],
    [SESSION_IDLE_ENV, "1e1", /above 0/],
  ])("%s=%s is refused naming the variable, the reason and the fix", (name, value, reason) => {
    const error = thrownBy(() => sessionLimits({ [name]: value }));
    expect(isHnsError(error) && { code: error.code, path: error.path }).toEqual({ code: "InvalidInput", path: name });
    expect((error as Error).message).toContain(`environment variable ${name} is "${value}"`);
    expect((error as Error).message).toMatch(reason);
    expect(isHnsError(error) && error.fix).toMatch(new RegExp(`^set ${name} to the .* \\(default \\d+\\), or unset it$`));
  });

  test("docs/transport.md states the variables, defaults and bounds the code has", () => {
    const doc = readFileSync(path.resolve(__dirname, "../../../../docs/transport.md"), "utf8").replace(/\s+/g, " ");
    expect(doc).toContain(`\`${MAX_SESSIONS_ENV}\` shells at once (default ${DEFAULT_MAX_SESSIONS})`);
    expect(doc).toContain(`\`${SESSION_IDLE_ENV}\` (default ${DEFAULT_SESSION_IDLE_SECONDS};`);
    expect(doc).toContain(`a whole number from 1 to ${MAX_SESSIONS_LIMIT} (or a number of seconds above 0 and at most ${SESSION_IDLE_LIMIT_SECONDS})`);
    expect(doc).toContain(`at most ${DEFAULT_MAX_SESSIONS} \`pwsh\` processes`);
  });

  test("a bad limit fails the call before any PowerShell process starts, and is not retried", async () => {
    const c = counted();
    const saved = process.env[MAX_SESSIONS_ENV];
    process.env[MAX_SESSIONS_ENV] = "lots";
    try {
      // No pool given: the client uses the process's pool, made from the environment.
      const client = new PowerShellClient({ kind: "local", name: "env1", executable: c.executable }, { retry: { attempts: 3, backoffMs: 1 } });
      open.push(client);
      const e = await errorOf(client.version());
      expect(isHnsError(e) && [e.code, e.path]).toEqual(["InvalidInput", MAX_SESSIONS_ENV]);
      expect(c.started()).toBe(0);
      expect(c.dbl.spawns()).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env[MAX_SESSIONS_ENV];
      else process.env[MAX_SESSIONS_ENV] = saved;
    }
  });
});

// The session pool's rules on its own, with stand-in sessions and a timer the test fires:
// slots, waiting order, which session is closed and when. No process is started here.
import { SessionPool, type IdleTimer, type Lease, type PoolMember } from "../../../../provider/hosts/powershell/pool";

/** Idle timers that run only when the test fires them. */
function manualTimers() {
  const pending = new Set<{ fire: () => void; ms: number }>();
  const timer: IdleTimer = (fire, ms) => {
    const t = { fire, ms };
    pending.add(t);
    return () => pending.delete(t);
  };
  return {
    timer,
    pending: () => [...pending].map((t) => t.ms),
    fireAll() {
      const due = [...pending];
      pending.clear();
      for (const t of due) t.fire();
    },
  };
}

/** A stand-in session: records the leases the pool takes back; `exit` frees one as a process exit would. */
class Member implements PoolMember {
  readonly evicted: Lease[] = [];
  private notify?: () => void;
  constructor(readonly name: string) {}
  evict(lease: Lease): void {
    this.evicted.push(lease);
    this.notify?.();
  }
  /** Resolves at the pool's next eviction of this member (an event, not a pause). */
  nextEviction(): Promise<void> {
    return new Promise((resolve) => (this.notify = resolve));
  }
}

/** Grants in the order they happened. */
function track(pool: SessionPool) {
  const granted: string[] = [];
  const acquire = async (m: Member) => {
    const lease = await pool.acquire(m);
    granted.push(m.name);
    return lease;
  };
  return { granted, acquire };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("no more slots than the size: a third session waits until a process exits", async () => {
  const pool = new SessionPool(2, 1000, manualTimers().timer);
  const { granted, acquire } = track(pool);
  const [a, b, c] = [new Member("a"), new Member("b"), new Member("c")];
  const la = await acquire(a);
  await acquire(b);
  const third = acquire(c);
  await settle();
  expect(granted).toEqual(["a", "b"]);
  expect(pool.open).toBe(2);
  expect(pool.waiting).toBe(1);
  la.release(); // a's process exited
  await third;
  expect(granted).toEqual(["a", "b", "c"]);
  expect(pool.open).toBe(2);
});

test("the least recently used idle session makes room, not the one idle since later", async () => {
  const pool = new SessionPool(2, 1000, manualTimers().timer);
  const [a, b, c] = [new Member("a"), new Member("b"), new Member("c")];
  const la = await pool.acquire(a);
  const lb = await pool.acquire(b);
  la.idle();
  lb.idle();
  const waiting = pool.acquire(c);
  expect(a.evicted).toEqual([la]);
  expect(b.evicted).toEqual([]);
  la.release();
  const lc = await waiting;
  // c goes idle, then b is used again: c is now the least recently used
  lc.idle();
  lb.busy();
  lb.idle();
  void pool.acquire(new Member("d"));
  expect(c.evicted).toEqual([lc]);
  expect(b.evicted).toEqual([]);
});

test("a session with a call running is never closed, by the idle timer or for a waiter; it hands over once idle", async () => {
  const timers = manualTimers();
  const pool = new SessionPool(1, 1000, timers.timer);
  const { granted, acquire } = track(pool);
  const [a, b] = [new Member("a"), new Member("b")];
  const la = await acquire(a);
  const waiting = acquire(b);
  timers.fireAll();
  await settle();
  expect(a.evicted).toEqual([]);
  expect(granted).toEqual(["a"]);
  const evicted = a.nextEviction();
  la.idle();
  await evicted;
  expect(a.evicted).toEqual([la]);
  la.release();
  await waiting;
  expect(granted).toEqual(["a", "b"]);
});

test("a session whose next call follows at once keeps its slot though another waits", async () => {
  const pool = new SessionPool(1, 1000, manualTimers().timer);
  const [a, b] = [new Member("a"), new Member("b")];
  const la = await pool.acquire(a);
  void pool.acquire(b);
  la.idle();
  la.busy(); // the same turn of the event loop: one operation's read, then its write
  await settle();
  expect(a.evicted).toEqual([]);
  expect(pool.waiting).toBe(1);
});

test("an idle session is closed when its timer fires; a call in between restarts the wait", async () => {
  const timers = manualTimers();
  const pool = new SessionPool(3, 30_000, timers.timer);
  const a = new Member("a");
  const la = await pool.acquire(a);
  expect(timers.pending()).toEqual([]); // busy: no timer
  la.idle();
  expect(timers.pending()).toEqual([30_000]);
  la.busy();
  expect(timers.pending()).toEqual([]);
  la.idle();
  timers.fireAll();
  expect(a.evicted).toEqual([la]);
  expect(pool.open).toBe(1); // until the process has exited
  la.release();
  expect(pool.open).toBe(0);
});

test("waiting sessions get slots in the order they asked", async () => {
  const pool = new SessionPool(1, 1000, manualTimers().timer);
  const { granted, acquire } = track(pool);
  const members = ["a", "b", "c", "d"].map((n) => new Member(n));
  const first = await acquire(members[0]);
  const rest = members.slice(1).map((m) => acquire(m));
  let lease = first;
  for (const next of rest) {
    lease.release();
    lease = await next;
  }
  expect(granted).toEqual(["a", "b", "c", "d"]);
});

test("a session that died mid-call frees its slot at once (no idle, no eviction needed)", async () => {
  const pool = new SessionPool(1, 1000, manualTimers().timer);
  const [a, b] = [new Member("a"), new Member("b")];
  const la = await pool.acquire(a);
  const waiting = pool.acquire(b);
  la.release(); // the process exited while busy
  await waiting;
  expect(a.evicted).toEqual([]);
  expect(pool.open).toBe(1);
  // a late idle or busy from the dead session changes nothing
  la.idle();
  la.busy();
  la.release();
  expect(pool.open).toBe(1);
});

test("one waiter closes one idle session, two waiters two", async () => {
  const pool = new SessionPool(3, 1000, manualTimers().timer);
  const ms = ["a", "b", "c"].map((n) => new Member(n));
  const leases = await Promise.all(ms.map((m) => pool.acquire(m)));
  for (const l of leases) l.idle();
  void pool.acquire(new Member("d"));
  expect(ms.map((m) => m.evicted.length)).toEqual([1, 0, 0]);
  void pool.acquire(new Member("e"));
  expect(ms.map((m) => m.evicted.length)).toEqual([1, 1, 0]);
});

test("the pool's own idle timer does not keep the process alive", async () => {
  const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
  const before = timeouts();
  // negative control: a plain timer is counted
  const held = setTimeout(() => undefined, 3_600_000);
  expect(timeouts()).toBe(before + 1);
  clearTimeout(held);
  const pool = new SessionPool(1, 3_600_000);
  const lease = await pool.acquire(new Member("a"));
  lease.idle();
  expect(timeouts()).toBe(before);
  lease.busy(); // cancels it
});

test("a pool needs at least one slot", () => {
  expect(() => new SessionPool(0, 1000)).toThrow(/at least one slot/);
});

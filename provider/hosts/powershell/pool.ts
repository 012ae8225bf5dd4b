/**
 * A cap on the PowerShell processes one provider process runs at once. A session takes a slot
 * before its shell starts and gives it back when that process has exited (however it ended),
 * so the processes alive never outnumber the slots. Between calls a session is idle: it keeps
 * its slot until the idle timeout, or until a session of another host needs the slot, when the
 * least recently used idle session is closed first. A session with a call running or queued
 * is never closed here. Sessions waiting for a slot are served first come, first served.
 *
 * No deadlock: a waiting session holds no slot, and every slot is held by a session that is
 * idle (closed when someone waits), calling (every call has a deadline), or exiting.
 */

/** What holds a slot: told to close its shell (politely) when the pool takes the slot back. */
export interface PoolMember {
  evict(lease: Lease): void;
}

/** One slot, held from before a shell starts until its process has exited. */
export interface Lease {
  /** A call is running or queued: the slot is not to be taken. */
  busy(): void;
  /** Nothing is queued: the slot may idle out, or go to a waiting session. */
  idle(): void;
  /** The process exited (or never started): the slot is free. Idempotent. */
  release(): void;
}

/** Starts a timer that must not keep the process alive; returns how to cancel it. */
export type IdleTimer = (fire: () => void, ms: number) => () => void;

const unrefTimer: IdleTimer = (fire, ms) => {
  const t = setTimeout(fire, ms);
  // An idle session must never hold the provider open: at the end, beforeExit closes it.
  t.unref();
  return () => clearTimeout(t);
};

type SlotState = "busy" | "idle" | "closing" | "released";

class Slot implements Lease {
  state: SlotState = "busy";
  cancelTimer?: () => void;

  constructor(
    private readonly pool: SessionPool,
    readonly member: PoolMember,
  ) {}

  busy(): void {
    this.pool.markBusy(this);
  }

  idle(): void {
    this.pool.markIdle(this);
  }

  release(): void {
    this.pool.release(this);
  }
}

interface Waiter {
  member: PoolMember;
  grant: (lease: Lease) => void;
}

export class SessionPool {
  /** Slots taken: busy, idle and closing sessions, until their process exits. */
  private held = 0;
  private closing = 0;
  /** Idle slots, least recently used first (a Set keeps insertion order). */
  private readonly idleSlots = new Set<Slot>();
  private readonly waiters: Waiter[] = [];
  private handoverQueued = false;

  constructor(
    readonly size: number,
    readonly idleMs: number,
    private readonly timer: IdleTimer = unrefTimer,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`internal error: a session pool needs at least one slot (got ${size})`);
  }

  /** Slots held now (at most `size`). */
  get open(): number {
    return this.held;
  }

  /** Sessions waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** A slot for `member`, once one is free; it starts busy. */
  acquire(member: PoolMember): Promise<Lease> {
    return new Promise((grant) => {
      this.waiters.push({ member, grant });
      this.pump();
    });
  }

  markBusy(slot: Slot): void {
    if (slot.state !== "idle") return;
    slot.state = "busy";
    this.idleSlots.delete(slot);
    slot.cancelTimer?.();
  }

  markIdle(slot: Slot): void {
    if (slot.state !== "busy") return;
    slot.state = "idle";
    this.idleSlots.add(slot);
    slot.cancelTimer = this.timer(() => {
      if (slot.state === "idle") this.evict(slot);
    }, this.idleMs);
    // Someone waits: hand the slot over, but only after the current turn of the event loop,
    // so that a caller whose next call follows at once (one operation's read, then its
    // write) keeps its session instead of closing and reopening it.
    if (this.waiters.length > this.closing && !this.handoverQueued) {
      this.handoverQueued = true;
      setImmediate(() => {
        this.handoverQueued = false;
        this.pump();
      });
    }
  }

  release(slot: Slot): void {
    if (slot.state === "released") return;
    if (slot.state === "closing") this.closing--;
    slot.state = "released";
    this.idleSlots.delete(slot);
    slot.cancelTimer?.();
    this.held--;
    this.pump();
  }

  /**
   * Grants free slots in arrival order; then, for each waiter no exiting process will make
   * room for, closes an idle session, the least recently used first.
   */
  private pump(): void {
    while (this.waiters.length > 0 && this.held < this.size) {
      const w = this.waiters.shift()!;
      this.held++;
      w.grant(new Slot(this, w.member));
    }
    for (const slot of this.idleSlots) {
      if (this.waiters.length <= this.closing) break;
      this.evict(slot);
    }
  }

  private evict(slot: Slot): void {
    slot.state = "closing";
    this.closing++;
    this.idleSlots.delete(slot);
    slot.cancelTimer?.();
    slot.member.evict(slot);
  }
}

/**
 * The access key as a transaction on a host's state sees it: a plaintext key left by the
 * previous version is replaced by its hash before anything else happens (and so is written
 * back by that transaction, whatever its outcome), then the caller's key is checked.
 */
import { accessKeyMatches, hashAccessKey } from "./access";
import type { EmulatorState } from "./state";
import type { Transaction } from "./store";

export async function migrateAccessKey(tx: Transaction<EmulatorState>): Promise<void> {
  if (typeof tx.state.accessKey !== "string") return;
  tx.state.accessKey = await hashAccessKey(tx.state.accessKey);
  // Written whole, with a new journal: a journal record would leave the plaintext in the state
  // file (or in an earlier record) until the next compaction.
  tx.dirty = true;
  tx.rewrite = true;
}

/** Whether `given` opens the host: any key (or none) opens a host that demands none. */
export async function checkAccessKey(tx: Transaction<EmulatorState>, given: string | undefined): Promise<boolean> {
  await migrateAccessKey(tx);
  const stored = tx.state.accessKey;
  return stored === undefined || (await accessKeyMatches(stored as Exclude<typeof stored, string>, given));
}

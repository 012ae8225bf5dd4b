/**
 * What keeps the contract suite safe on a real host: it refuses a host holding objects it did
 * not create (unless HNS_CONTRACT_ALLOW_FOREIGN=1), it remembers every object it creates, and
 * it deletes them all after each test, whether the test passed or not, dependents first.
 */
import { randomBytes } from "node:crypto";
import { isNotFound } from "../../provider/errors";
import type { HnsClient, HnsDocument, HnsKind } from "../../provider/hosts/client";

/** Kinds in the order they can be deleted: what refers to others first. */
export const DELETE_ORDER: readonly HnsKind[] = ["route", "loadBalancer", "namespace", "endpoint", "network"];

export const ALLOW_FOREIGN_ENV = "HNS_CONTRACT_ALLOW_FOREIGN";

/** Every object of the host except what every host has (its own default namespace). */
export async function foreignObjects(client: HnsClient): Promise<string[]> {
  const found: string[] = [];
  for (const kind of DELETE_ORDER) {
    for (const doc of await client.list(kind)) {
      if (kind === "namespace" && (doc as HnsDocument<"namespace">).Type === "HostDefault") continue;
      const name = (doc as { Name?: string }).Name;
      found.push(`${kind} ${doc.ID}${name ? ` (${name})` : ""}`);
    }
  }
  return found;
}

/** Refuses a host with objects the suite did not create, unless the environment allows it. */
export async function guardHost(client: HnsClient, env: NodeJS.ProcessEnv): Promise<void> {
  if (env[ALLOW_FOREIGN_ENV] === "1") return;
  const foreign = await foreignObjects(client);
  if (foreign.length === 0) return;
  throw new Error(
    `host ${client.hostName} already has ${foreign.length} HNS object(s) this suite did not create:\n  ${foreign.slice(0, 20).join("\n  ")}\n` +
      `The suite creates and deletes networks, endpoints, namespaces and load balancers; run it on a host you can spare, ` +
      `or set ${ALLOW_FOREIGN_ENV}=1 to run beside these objects (it never touches an object it did not create).`,
  );
}

/** An HnsClient that remembers what it created, and deletes it all on cleanup(). */
export class TrackedClient {
  /** Names start with this, so a left-over object on a host says where it came from. */
  readonly prefix = `hnsct-${randomBytes(3).toString("hex")}`;
  private readonly created: { kind: HnsKind; id: string }[] = [];

  constructor(readonly client: HnsClient) {}

  name(what: string): string {
    return `${this.prefix}-${what}`;
  }

  async create<K extends HnsKind>(kind: K, settings: HnsDocument<K>): Promise<HnsDocument<K>> {
    // Remembered before the call: an ID chosen here may exist on the host even if the reply is lost.
    const chosen = settings.ID;
    if (chosen) this.created.push({ kind, id: chosen });
    const made = await this.client.create(kind, settings);
    if (!chosen && made.ID) this.created.push({ kind, id: made.ID });
    return made;
  }

  /** Deletes everything created, dependents first; returns what could not be deleted. */
  async cleanup(): Promise<string[]> {
    const left: string[] = [];
    for (const kind of DELETE_ORDER) {
      for (const { id } of this.created.filter((c) => c.kind === kind)) {
        try {
          await this.client.delete(kind, id);
        } catch (e) {
          if (!isNotFound(e)) left.push(`${kind} ${id}: ${String(e)}`);
        }
      }
    }
    this.created.length = 0;
    return left;
  }
}

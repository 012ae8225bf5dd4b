/**
 * What keeps the contract suite safe on a real host: it refuses a host holding objects it did
 * not create (unless HNS_CONTRACT_ALLOW_FOREIGN=1), it remembers every object it creates, and
 * it deletes them all after each test, whether the test passed or not, dependents first.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { isNotFound } from "../../provider/vocabulary/errors";
import { sameGuid, ZERO_GUID, type HnsClient, type HnsDocument, type HnsDocumentInput, type HnsKind } from "../../provider/hosts/client";

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
      `The suite creates and deletes networks, endpoints, namespaces, load balancers and SDN routes; run it on a host you can spare, ` +
      `or set ${ALLOW_FOREIGN_ENV}=1 to run beside these objects (it never touches an object it did not create).`,
  );
}

/**
 * An HnsClient that remembers what it created, and deletes it all on cleanup(). Every object is
 * recorded before the call that makes it: create() gives a body without an ID a fresh random
 * one, so an object whose reply is lost (a dropped session, a timeout) is still deleted.
 */
export class TrackedClient {
  /** Names start with this, so a left-over object on a host says where it came from. */
  readonly prefix = `hnsct-${randomBytes(3).toString("hex")}`;
  private readonly created: { kind: HnsKind; id: string }[] = [];

  constructor(readonly client: HnsClient) {}

  name(what: string): string {
    return `${this.prefix}-${what}`;
  }

  /** HcnCreate under a client-chosen ID: the body's, or a fresh one when it has none (or the zero GUID). */
  async create<K extends HnsKind>(kind: K, settings: HnsDocumentInput<K>): Promise<HnsDocument<K>> {
    const given = (settings as { ID?: string }).ID;
    const id = given && !sameGuid(given, ZERO_GUID) ? given : randomUUID();
    this.created.push({ kind, id });
    return this.client.create(kind, { ...settings, ID: id });
  }

  /**
   * HcnCreate with no ID, so HNS assigns one (only the test of that uses this). The ID is
   * known only from the reply; if the call fails (a lost reply among the failures), the
   * objects of this kind bearing the body's name, which carries this run's prefix, are
   * recorded instead. Kinds without a Name (namespaces, load balancers, routes) cannot be
   * found that way and are refused.
   */
  async createAssigned<K extends HnsKind>(kind: K, settings: HnsDocumentInput<K> & { Name: string }): Promise<HnsDocument<K>> {
    if (!settings.Name.startsWith(this.prefix)) throw new Error(`createAssigned: the name "${settings.Name}" must come from name() so a lost reply can be traced`);
    try {
      const made = await this.client.create(kind, settings);
      if (made.ID) this.created.push({ kind, id: made.ID });
      return made;
    } catch (e) {
      for (const doc of await this.client.list(kind, { Name: settings.Name })) if (doc.ID) this.created.push({ kind, id: doc.ID });
      throw e;
    }
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

/**
 * The suite's afterEach: deletes what the test created and fails, naming them, if anything
 * stays. Without a tracker (beforeAll failed before making one) there is nothing to delete,
 * and jest has already reported that failure against every test: no second error.
 */
export async function cleanupAfterTest(t: TrackedClient | undefined): Promise<void> {
  if (!t) return;
  const left = await t.cleanup();
  if (left.length) throw new Error(`could not clean up: ${left.join("; ")}`);
}

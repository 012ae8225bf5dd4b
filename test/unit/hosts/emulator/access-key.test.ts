/**
 * The emulated host's access key: stored as a salted scrypt hash, never as the key itself;
 * a state file from the version that stored it in plaintext is rewritten with the hash;
 * one derivation per key per process, however many calls a deployment makes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { initialState } from "../../../../provider/hosts/emulator/state";
import { tempDir } from "../../../helpers/tmp";
import { rejectsWith } from "../../../helpers/fixtures";

const tmp = tempDir();
afterAll(tmp.cleanup);
afterEach(() => jest.restoreAllMocks());

const KEY = "correct horse battery staple";
// The module object itself (an `import * as` copy would not see the spy the provider calls through).
const crypto = require("node:crypto") as typeof import("node:crypto");

test("a new host keeps a salted hash of its key, never the key; the key still opens it and nothing else does", async () => {
  const file = path.join(tmp.dir, "new.json");
  await new HnsEmulator(file, { accessKey: KEY }).create("network", { Name: "n", Type: "NAT" });
  const text = readFileSync(file, "utf8");
  expect(text).not.toContain(KEY);
  expect(text).not.toContain(Buffer.from(KEY).toString("base64"));
  const stored = JSON.parse(text).accessKey;
  expect(stored).toMatchObject({ kdf: "scrypt", salt: expect.any(String), hash: expect.any(String) });

  // A second host with the same key gets another salt, so the two hashes differ.
  const other = path.join(tmp.dir, "new-2.json");
  await new HnsEmulator(other, { accessKey: KEY }).version();
  const second = JSON.parse(readFileSync(other, "utf8")).accessKey;
  expect(second.salt).not.toBe(stored.salt);
  expect(second.hash).not.toBe(stored.hash);

  expect((await new HnsEmulator(file, { accessKey: KEY }).list("network")).map((n) => n.Name)).toEqual(["n"]);
  await rejectsWith(new HnsEmulator(file, { accessKey: "wrong" }).list("network"), "E_ACCESSDENIED");
  await rejectsWith(new HnsEmulator(file).list("network"), "E_ACCESSDENIED");
  // A key that is a prefix of the right one, or the right one plus more, is wrong too.
  await rejectsWith(new HnsEmulator(file, { accessKey: KEY.slice(0, -1) }).version(), "E_ACCESSDENIED");
  await rejectsWith(new HnsEmulator(file, { accessKey: `${KEY}!` }).version(), "E_ACCESSDENIED");
});

test("a plaintext key left by the previous version is replaced by its hash at the first call, even a refused one", async () => {
  const file = path.join(tmp.dir, "legacy.json");
  writeFileSync(file, JSON.stringify({ ...initialState({ Major: 15, Minor: 4 }), accessKey: KEY }));
  await rejectsWith(new HnsEmulator(file, { accessKey: "wrong" }).version(), "E_ACCESSDENIED");
  const text = readFileSync(file, "utf8");
  expect(text).not.toContain(KEY);
  expect(JSON.parse(text).accessKey).toMatchObject({ kdf: "scrypt" });
  // The migrated hash still opens with the old key.
  expect(await new HnsEmulator(file, { accessKey: KEY }).version()).toEqual({ Major: 15, Minor: 4 });
});

test("a plaintext key is migrated by a write that is not an HNS call (administration) too", async () => {
  const file = path.join(tmp.dir, "legacy-admin.json");
  writeFileSync(file, JSON.stringify({ ...initialState({ Major: 15, Minor: 4 }), accessKey: KEY }));
  await new HnsEmulator(file).setAdapters(["Ethernet", "Ethernet 2"]);
  expect(readFileSync(file, "utf8")).not.toContain(KEY);
});

test("hundreds of calls with the same key derive it once per process", async () => {
  const file = path.join(tmp.dir, "busy.json");
  const key = `${KEY} (busy)`;
  const scrypt = jest.spyOn(crypto, "scrypt");
  const hns = new HnsEmulator(file, { accessKey: key });
  for (let i = 0; i < 200; i++) await hns.list("network");
  // A second client in the same process (another resource's provider instance) shares the cache.
  await new HnsEmulator(file, { accessKey: key }).version();
  expect(scrypt).toHaveBeenCalledTimes(1); // hashing the new host's key; every check reused it
  // A wrong key costs one derivation of its own, and is refused every time.
  for (let i = 0; i < 3; i++) await rejectsWith(new HnsEmulator(file, { accessKey: "nope" }).version(), "E_ACCESSDENIED");
  expect(scrypt).toHaveBeenCalledTimes(2);
});

test("stored hash parameters outside sane bounds are refused when the file is loaded (a hostile file cannot demand gigabytes)", async () => {
  const file = path.join(tmp.dir, "hostile.json");
  await new HnsEmulator(file, { accessKey: KEY }).version();
  const state = JSON.parse(readFileSync(file, "utf8"));
  state.accessKey.N = 2 ** 30;
  writeFileSync(file, JSON.stringify(state));
  await expect(new HnsEmulator(file, { accessKey: KEY }).version()).rejects.toThrow(/accessKey\.N/);
});

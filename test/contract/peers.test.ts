// The peers' scenarios (test/contract/peers/*.ts): cases taken from the test suites of the
// projects that drive real HNS every day, each citing its source and what real HNS did there,
// run against every target selectTargets picks, as the contract suite is. A case that needs
// what this project does not model is listed as skipped with its reason (never counted as
// passing); a case needing an emulator hook runs on the stand-ins only.
import { isCode } from "../../provider/vocabulary/errors";
import { supports } from "../../provider/vocabulary/features";
import type { HnsClient } from "../../provider/hosts/client";
import type { HnsVersion } from "../../provider/vocabulary/features";
import { tempDir } from "../helpers/tmp";
import { errorOf } from "../helpers/fixtures";
import { cleanupAfterTest, guardHost, TrackedClient } from "./guard";
import { CLIENT_CASES } from "./peers/clients";
import { HCSSHIM_CASES } from "./peers/hcsshim";
import type { PeerCase, PeerContext } from "./peers/support";
import { selectTargets, targetDir, type OpenedHost } from "./targets";

jest.setTimeout(120_000);

export const PEER_CASES: PeerCase[] = [...HCSSHIM_CASES, ...CLIENT_CASES];

const tmp = tempDir("hns-peers-");
afterAll(tmp.cleanup);

// Third octets and ports drawn once per run, so a real host's own networks are unlikely to overlap.
let octet = Math.floor(Math.random() * 200);
let port = 20000 + Math.floor(Math.random() * 20000);

describe("the peer cases", () => {
  test("every case cites a repository, a file and a test, says what real HNS did, and either runs or says why not", () => {
    const ids = PEER_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of PEER_CASES) {
      expect([c.id, c.source.repo && c.source.file && c.source.test && c.realHns ? "cited" : "uncited"]).toEqual([c.id, "cited"]);
      expect([c.id, (c.run === undefined) !== (c.notApplicable === undefined)]).toEqual([c.id, true]);
    }
  });

  test("at least 60 of them apply (run on every stand-in)", () => {
    expect(PEER_CASES.filter((c) => c.run).length).toBeGreaterThanOrEqual(60);
  });
});

describe.each(selectTargets(process.env))("peer cases on $name", (target) => {
  let host: OpenedHost;
  let hns: HnsClient;
  let t: TrackedClient;
  let version: HnsVersion;

  beforeAll(async () => {
    host = await target.open(targetDir(tmp.dir, target));
    hns = host.client;
    await guardHost(hns, process.env);
    version = await hns.version();
  });
  beforeEach(() => {
    t = new TrackedClient(hns);
  });
  afterEach(() => cleanupAfterTest(t));
  afterAll(async () => {
    await host?.close();
  });

  const context = (): PeerContext => ({
    t,
    hns,
    version,
    emulator: host.emulator,
    prefix: () => `10.233.${octet++ % 256}.0/24`,
    port: () => port++,
  });

  for (const c of PEER_CASES) {
    const title = `${c.id} (${c.source.repo} ${c.source.file} ${c.source.test}): ${c.realHns}`;
    if (!c.run) {
      test.skip(`not applicable: ${title}; ${c.notApplicable}`, () => undefined);
      continue;
    }
    if (c.standInOnly && target.real) {
      test.skip(`stand-ins only (needs an emulator hook): ${title}`, () => undefined);
      continue;
    }
    test(title, async () => {
      if (c.needs && !supports(version, c.needs)) {
        // The other side of the gate: this host's HNS must refuse what the case does.
        const e = await errorOf(c.run!(context()));
        expect(isCode(e, "HCN_E_REQUEST_UNSUPPORTED")).toBe(true);
        return;
      }
      await c.run!(context());
    });
  }
});

/**
 * Hosts that change stack between runs: the losing stacks let go first, a gaining stack whose
 * loser could not let go is held back, and stacks in no group any more are retired.
 */
import { blockedBy, heldHosts, movesOf } from "../../../provider/fleet/moves";

const g = (stack: string, ...hosts: string[]) => ({ stack, hosts });

test("no move: nothing leaves, nothing waits", () => {
  const groups = [g("f-1", "a", "b"), g("f-2", "c")];
  expect(movesOf(groups, new Map([["f-1", ["a", "b"]], ["f-2", ["c"]]]))).toEqual({ leave: [], retiring: [], gainsFrom: new Map() });
  // A stack not deployed yet (absent from the holdings) moves nothing either.
  expect(movesOf(groups, new Map([["f-1", ["a", "b"]]])).leave).toEqual([]);
});

test("a host moving from f-1 to f-2: f-1 keeps the rest, f-2 waits for f-1", () => {
  const m = movesOf([g("f-1", "a"), g("f-2", "b", "c")], new Map([["f-1", ["a", "b"]], ["f-2", ["c"]]]));
  expect(m.leave).toEqual([g("f-1", "a")]);
  expect(m.gainsFrom).toEqual(new Map([["f-2", ["f-1"]]]));
  expect(blockedBy(m, new Set())).toEqual(new Map());
  expect(blockedBy(m, new Set(["f-1"]))).toEqual(
    new Map([
      ["f-1", "could not let go of the hosts that moved out of it (see above)"],
      ["f-2", "gains hosts still deployed by f-1, which could not let go of them"],
    ]),
  );
});

test("two stacks swapping hosts both let go first: no order between them is needed", () => {
  const m = movesOf([g("f-1", "b"), g("f-2", "a")], new Map([["f-1", ["a"]], ["f-2", ["b"]]]));
  expect(m.leave).toEqual([g("f-1"), g("f-2")]);
  expect(m.gainsFrom).toEqual(new Map([["f-2", ["f-1"]], ["f-1", ["f-2"]]]));
});

test("a stack in no group any more retires, an empty one too; a host gone from the topology just leaves", () => {
  const m = movesOf([g("f-b", "b")], new Map([["f-a", ["a", "b"]], ["f-b", ["x"]], ["f-old", []]]));
  expect(m.retiring).toEqual(["f-a", "f-old"]);
  expect(m.leave).toEqual([g("f-a"), g("f-b"), g("f-old")]);
  expect(m.gainsFrom).toEqual(new Map([["f-b", ["f-a"]]]));
});

test("a stack's outputs say which fleet it belongs to; another fleet's or a foreign stack's are not read as holdings", () => {
  expect(heldHosts({ fleet: { value: "prod" }, hosts: { value: ["a"] } }, "prod")).toEqual(["a"]);
  expect(heldHosts({ fleet: { value: "prod-eu" }, hosts: { value: ["a"] } }, "prod")).toBeUndefined();
  expect(heldHosts({}, "prod")).toBeUndefined();
  expect(heldHosts({ fleet: { value: "prod" }, hosts: { value: "a" } }, "prod")).toBeUndefined();
});

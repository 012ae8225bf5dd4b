// The fixture module's helpers fail a test when they should: each is tried on what it must
// accept and on what it must refuse (a helper that never fails would make every caller pass).
import { HnsError, providers } from "../../provider";
import { checkResource, checkedInputs, errorOf, expectFix, failureOf, failuresOf, networkArgs, rejectsWith, thrownBy } from "../helpers/fixtures";

const host = { kind: "emulator", name: "fixtures", stateDir: "/nonexistent/fixtures" };
const p = providers.network;

test("errorOf and thrownBy: the error, or undefined when nothing failed", async () => {
  const boom = new Error("boom");
  expect(await errorOf(Promise.reject(boom))).toBe(boom);
  expect(await errorOf(Promise.resolve(1))).toBeUndefined();
  expect(thrownBy(() => { throw boom; })).toBe(boom);
  expect(thrownBy(() => 1)).toBeUndefined();
});

test("rejectsWith: the HnsError of the code given; a success, another code or another error fails", async () => {
  const denied = new HnsError({ code: "E_ACCESSDENIED" });
  expect(await rejectsWith(Promise.reject(denied), "E_ACCESSDENIED")).toBe(denied);
  expect(await rejectsWith(Promise.reject(denied), "E_FAIL", "E_ACCESSDENIED")).toBe(denied);
  expect(await rejectsWith(Promise.reject(denied))).toBe(denied);
  await expect(rejectsWith(Promise.resolve(1), "E_ACCESSDENIED")).rejects.toThrow(/got success/);
  await expect(rejectsWith(Promise.reject(denied), "E_FAIL")).rejects.toThrow(/expected E_FAIL, got E_ACCESSDENIED/);
  await expect(rejectsWith(Promise.reject(new Error("plain")))).rejects.toThrow(/expected an HnsError, got Error: plain/);
});

test("checkedInputs, failuresOf and failureOf: accepted args give inputs; refused ones give the failure, and the other way round fails", async () => {
  expect(await checkedInputs(p, networkArgs(host))).toMatchObject({ name: "web", type: "nat" });
  expect(await failuresOf(p, networkArgs(host))).toEqual([]);
  await expect(checkedInputs(p, networkArgs(host, { type: "natt" }))).rejects.toThrow(/check refused the args/);
  const r = await checkResource(p, networkArgs(host, { type: "natt" }));
  expect(failureOf(r, "type").reason).toMatch(/want one of/);
  expect(() => failureOf(r, "name")).toThrow(/expected a failure at name/);
  const accepted = await checkResource(p, networkArgs(host));
  expect(() => failureOf(accepted)).toThrow(/expected a failure/);
});

test("expectFix: an HnsError's fix field; none fails", () => {
  expect(expectFix(new HnsError({ code: "E_FAIL", message: "it broke", fix: "run it again" }))).toBe("run it again");
  expect(() => expectFix(new HnsError({ code: "Conflict", message: "not ours" }))).toThrow(/expected a fix/);
});

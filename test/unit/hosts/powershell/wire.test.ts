// The wire format on its own: what may be spliced into command text, and how replies are read.
import fc from "fast-check";
import { HResult } from "../../../../provider/vocabulary/errors";
import { REPLY_TAG, dotSourceCommand, functionCall, hnsErrorOf, readReply, toBase64Json, UnreadableReply } from "../../../../provider/hosts/powershell/wire";
import { scrub } from "../../../../provider/hosts/powershell/credentials";

const COMMAND = /^(Open-HnsSession|Import-HnsAgent|Invoke-HnsAgent) '[A-Za-z0-9+/]*={0,2}'$/;
const encode = (o: unknown) => REPLY_TAG + Buffer.from(JSON.stringify(o)).toString("base64");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const psJson = require("../../../doubles/powershell-json") as { convertFromJson(t: string): unknown; decodeEncodedValue(v: unknown): unknown };

test("any JSON value becomes a command whose only argument is base64, and decodes back intact as the scripts read it (PowerShell 7's date conversion included)", () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.string({ unit: "binary" }), fc.date({ noInvalidDate: true }), (value, text, date) => {
      for (const v of [value, { name: text }, { password: date.toISOString(), nested: [{ at: date.toISOString() }] }]) {
        const cmd = functionCall("Invoke-HnsAgent", v);
        expect(cmd).toMatch(COMMAND);
        const b64 = cmd.slice("Invoke-HnsAgent '".length, -1);
        const json = Buffer.from(b64, "base64").toString("utf8");
        expect(psJson.decodeEncodedValue(psJson.convertFromJson(json))).toEqual(JSON.parse(JSON.stringify(v)));
      }
    }),
    { numRuns: 60 },
  );
  expect(toBase64Json("'; Remove-Item -Recurse C:\\ #")).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
});

test("a script of ours is dot-sourced from base64 on one line", () => {
  const cmd = dotSourceCommand("function A {\n  'x'\n}\n");
  expect(cmd).not.toMatch(/[\r\n]/);
  expect(cmd).toMatch(/^\. \(\[scriptblock\]::Create\(\[Text\.Encoding\]::UTF8\.GetString\(\[Convert\]::FromBase64String\('[A-Za-z0-9+/=]+'\)\)\)\)$/);
});

describe("reading a reply", () => {
  const ok = { v: 1, id: "abc123", ok: true, result: [{ ID: "x" }] };
  test("stray untagged lines around the reply are ignored", () => {
    expect(readReply(`WARNING: profile loaded\n${encode(ok)}\nbye\n`, "abc123")).toEqual(ok);
  });
  test.each([
    ["no reply line", "just text\n", /no reply line/],
    ["two reply lines", `${encode(ok)}\n${encode(ok)}\n`, /2 reply lines/],
    ["a reply cut short", encode(ok).slice(0, 30), /not base64|not JSON/],
    ["a reply to another request", encode({ ...ok, id: "other" }), /answers request other/],
    ["a reply of the wrong shape", encode({ v: 2, id: "abc123", ok: true }), /unexpected shape/],
  ])("%s is rejected", (_label, stdout, why) => {
    expect(() => readReply(stdout, "abc123")).toThrow(UnreadableReply);
    expect(() => readReply(stdout, "abc123")).toThrow(why);
  });
  test("an unreadable reply never quotes the output (it could echo a command)", () => {
    expect(() => readReply("secret-ish text", "x")).toThrow(/no reply line in the output \(15 characters of other text\)/);
  });
});

describe("HNS failures become the emulator's HnsError values", () => {
  const record = (code: number, text: string) => JSON.stringify({ Success: false, Error: text, ErrorCode: code });
  test.each([
    ["ERROR_NOT_FOUND", HResult.ERROR_NOT_FOUND, "Element not found. "],
    ["HCN_E_NETWORK_NOT_FOUND", HResult.HCN_E_NETWORK_NOT_FOUND, "The network was not found. "],
    ["HCN_E_NETWORK_ALREADY_EXISTS", HResult.HCN_E_NETWORK_ALREADY_EXISTS, "A network with this name already exists. "],
    ["HCN_E_PORT_ALREADY_EXISTS", HResult.HCN_E_PORT_ALREADY_EXISTS, "A port with the same configuration already exists. "],
  ])("%s", (code, hresult, text) => {
    const e = hnsErrorOf({ fn: "HcnOpenNetwork", hresult, record: record(hresult, text), message: null });
    expect(e).toMatchObject({ code, hresult, message: text.trim() });
  });
  test("a success HRESULT with an error record is still a failure (hcsshim), coded from the record", () => {
    expect(hnsErrorOf({ fn: "HcnDeleteEndpoint", hresult: 0, record: record(HResult.HCN_E_ENDPOINT_NOT_FOUND, "The endpoint was not found. "), message: null }).code).toBe("HCN_E_ENDPOINT_NOT_FOUND");
  });
  test("a PowerShell exception without a record keeps its HRESULT and message", () => {
    expect(hnsErrorOf({ fn: "agent", hresult: 0x80004005, record: null, message: "Unable to load DLL 'computenetwork.dll'" })).toMatchObject({ code: "E_FAIL", message: "Unable to load DLL 'computenetwork.dll'" });
  });
  test("a port conflict carries the fix, as the emulator's does", () => {
    expect(hnsErrorOf({ fn: "HcnCreateEndpoint", hresult: HResult.HCN_E_PORT_ALREADY_EXISTS, record: null, message: null }).fix).toMatch(/another external port/);
  });
});

test("scrub removes secrets and long base64 runs from text bound for an error message", () => {
  const payload = toBase64Json({ password: "hunter2" });
  const out = scrub(`Open-HnsSession '${payload}' failed for hunter2`, ["hunter2"]);
  expect(out).not.toContain("hunter2");
  expect(out).not.toContain(payload);
  expect(out).toBe("Open-HnsSession '[base64]' failed for [secret]");
});

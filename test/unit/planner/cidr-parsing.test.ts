/**
 * The planner's own IPv4 fast path (provider/vocabulary/net/cidr.ts: one character pass instead of
 * ipaddr.js for "a.b.c.d" and "a.b.c.d/n") must accept and refuse exactly what the strict
 * ipaddr.js path does: four-part decimal, no leading zeros in the fast path (ipaddr.js decides
 * those), lengths 0..32.
 */
import * as fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { addressAt, addressAtSlot, canonicalIp, familyOf, offsetOf, parseCidr, slotOf, toSlot } from "../../../provider/vocabulary/net/cidr";

function reference(text: string): string | undefined {
  const strictIp = (t: string) => (t.includes(":") ? ipaddr.IPv6.isValid(t) : ipaddr.IPv4.isValidFourPartDecimal(t));
  if (!ipaddr.isValidCIDR(text) || !strictIp(text.split("/")[0])) return undefined;
  const [addr, len] = ipaddr.parseCIDR(text);
  const size = 1n << BigInt((addr.kind() === "ipv4" ? 32 : 128) - len);
  const value = addr.toByteArray().reduce((a, b) => (a << 8n) | BigInt(b), 0n);
  return `${addr.kind()} ${(value / size) * size} ${len}`;
}

const part = fc.constantFrom("0", "00", "01", "1", "9", "10", "99", "100", "255", "256", "299", "1000", "", "a", "-1", "+1", " 1", "0x1");
const dotted = fc.array(part, { minLength: 3, maxLength: 5 }).map((ps) => ps.join("."));
const length = fc.constantFrom("", "/", "/0", "/8", "/24", "/32", "/33", "/024", "/-1", "/2.0", "/ 8", "/08", "/1e1");

test("parseCidr agrees with ipaddr.js on dotted prefixes, canonical or not", () => {
  fc.assert(
    fc.property(dotted, length, (a, l) => {
      const got = parseCidr(a + l);
      expect(got && `${got.family} ${got.base} ${got.prefixLength}`).toBe(reference(a + l));
    }),
    { numRuns: 5_000 },
  );
});

test("familyOf and offsetOf agree with ipaddr.js on dotted addresses", () => {
  const net = parseCidr("10.0.0.0/8")!;
  fc.assert(
    fc.property(dotted, (a) => {
      const valid = ipaddr.IPv4.isValidFourPartDecimal(a);
      expect(familyOf(a)).toBe(valid ? "ipv4" : undefined);
      const inside = valid && ipaddr.parse(a).match(ipaddr.parseCIDR("10.0.0.0/8"));
      expect(offsetOf(net, a) !== undefined).toBe(inside);
    }),
    { numRuns: 5_000 },
  );
});

// Slots are the planner's map keys: one form per offset (a number while it is a safe integer),
// or the same address could be taken twice under two keys.
test("slotOf is offsetOf in its one Map form, and addressAtSlot turns it back", () => {
  const prefixes = ["10.0.0.0/8", "10.244.1.0/24", "0.0.0.0/0", "192.168.1.7/32", "fd00::/64", "fd00::/8", "2001:db8::/120"].map((t) => parseCidr(t)!);
  const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join("."));
  const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((ws) => ipaddr.fromByteArray(ws.flatMap((w) => [w >> 8, w & 255])).toString());
  const v6Near = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((off) => addressAt(parseCidr("fd00::/64")!, off));
  fc.assert(
    fc.property(fc.constantFrom(...prefixes), fc.oneof(v4, v6, v6Near), (c, a) => {
      const off = offsetOf(c, a);
      const slot = slotOf(c, a);
      expect(slot).toStrictEqual(off === undefined ? undefined : toSlot(off));
      if (typeof slot === "bigint") expect(slot > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      if (slot !== undefined) expect(addressAtSlot(c, slot)).toBe(canonicalIp(a));
    }),
    { numRuns: 5_000 },
  );
});

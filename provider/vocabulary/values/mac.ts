/**
 * A MAC address as HNS prints it: six two-digit hex octets joined by "-" (upper or lower case),
 * e.g. "00-15-5D-00-00-01". One spelling only, so a diff never sees one address twice. A
 * vNIC's address is unicast: the I/G bit (lowest bit of the first octet) marks group addresses
 * (multicast, and broadcast FF-FF-FF-FF-FF-FF), IEEE 802-2014 §8.2; all-zero is no address.
 */
import { quote, valueType } from "./spec";

const MAC = /^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}$/;

export function macProblem(v: string): string | undefined {
  if (!MAC.test(v)) {
    const dashed = /^[0-9A-Fa-f]{2}([:.]?[0-9A-Fa-f]{2}){5}$/.test(v) ? v.replace(/[:.]/g, "").replace(/(..)(?!$)/g, "$1-") : undefined;
    return dashed
      ? `${quote(v)} is spelt another way: write it as HNS prints MACs, ${quote(dashed.toUpperCase())}`
      : `${quote(v)} is not a MAC address: write six hex octets joined by "-", e.g. "00-15-5D-00-00-01"`;
  }
  const first = parseInt(v.slice(0, 2), 16);
  if (first & 1) return `${quote(v)} is a multicast or broadcast address (first octet odd): use a unicast MAC, e.g. in Hyper-V's 00-15-5D range`;
  if (/^(00-){5}00$/.test(v)) return `${quote(v)} is the all-zero address: use a unicast MAC, e.g. in Hyper-V's 00-15-5D range`;
  return undefined;
}

export const MacAddressValue = valueType<string>(
  {
    name: "MacAddress",
    summary: 'A unicast MAC address in HNS\'s spelling, six hex octets joined by "-".',
    accepts: ['"00-15-5D-00-00-01" (upper or lower case hex)'],
    refuses: ['other spellings ("00:15:5d:00:00:01", "00155D000001", "0015.5D00.0001")', "group (multicast, broadcast) addresses: first octet odd", "the all-zero address"],
    examples: ["00-15-5D-52-C0-01"],
  },
  macProblem,
);

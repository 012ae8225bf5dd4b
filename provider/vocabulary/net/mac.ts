/** MAC addresses as HNS prints them: upper-case hex octets joined by '-'. */
import { hnsError } from "../errors";

const MAC = /^([0-9A-Fa-f]{2})([-:]?)([0-9A-Fa-f]{2})\2([0-9A-Fa-f]{2})\2([0-9A-Fa-f]{2})\2([0-9A-Fa-f]{2})\2([0-9A-Fa-f]{2})$/;

export function parseMac(text: string): bigint | undefined {
  const m = MAC.exec(text);
  if (!m) return undefined;
  return BigInt("0x" + [m[1], m[3], m[4], m[5], m[6], m[7]].join(""));
}

export function formatMac(value: bigint): string {
  const hex = value.toString(16).toUpperCase().padStart(12, "0");
  return hex.match(/../g)!.join("-");
}

export function normalizeMac(text: string): string | undefined {
  const v = parseMac(text);
  return v === undefined ? undefined : formatMac(v);
}

/** Hyper-V's OUI 00-15-5D; each network without a MacPool gets the next 4096-address block. */
export function macPoolBlock(block: number): { StartMacAddress: string; EndMacAddress: string } {
  const base = 0x00155d000000n + BigInt((block % 4096) * 4096);
  return { StartMacAddress: formatMac(base), EndMacAddress: formatMac(base + 4095n) };
}

/**
 * The lowest address of the ranges not in `used`; HNS's pool-exhausted case as a clear error.
 * `used` may say where in a range the search can start (everything before is taken) and be told
 * what was found, so a full range is not walked from its start every time.
 */
export function nextFreeMac(
  ranges: { StartMacAddress: string; EndMacAddress: string }[],
  used: { has(mac: string): boolean; from?(start: bigint): bigint; found?(start: bigint, value: bigint): void },
): string {
  for (const r of ranges) {
    const start = parseMac(r.StartMacAddress);
    const end = parseMac(r.EndMacAddress);
    if (start === undefined || end === undefined) continue;
    for (let v = used.from?.(start) ?? start; v <= end; v++) {
      const mac = formatMac(v);
      if (!used.has(mac)) {
        used.found?.(start, v);
        return mac;
      }
    }
  }
  throw hnsError("HCN_E_ADDR_INVALID_OR_RESERVED", "The MAC address pool of the network is exhausted");
}

/**
 * Numeric ranges HNS enforces, declared once (inclusive bounds).
 * - VLAN: IEEE 802.1Q ids 1-4094 (0 = priority tag, 4095 reserved).
 * - VSID: Windows reserves virtual subnet ids below 4096 (flannel's Windows vxlan backend
 *   documents "VNI must be >= 4096 on Windows"; hcsshim's overlay test uses 5000); the VSID
 *   is a 24-bit VXLAN network id, so at most 16777215.
 * - ports: TCP/UDP port numbers; 0 is refused by HNS as an internal port (HCN_E_INVALID_INTERNAL_PORT).
 */
export interface Range {
  min: number;
  max: number;
}
export const VLAN_RANGE: Range = { min: 1, max: 4094 };
export const VSID_RANGE: Range = { min: 4096, max: 16_777_215 };
export const PORT_RANGE: Range = { min: 1, max: 65535 };
/** HNS object names (hcsshim passes them through; the SDK and topology cap them here). */
export const NAME_MAX_LENGTH = 256;

export const inRange = (r: Range, n: number): boolean => Number.isInteger(n) && n >= r.min && n <= r.max;
export const rangeText = (r: Range): string => `${r.min}-${r.max}`;

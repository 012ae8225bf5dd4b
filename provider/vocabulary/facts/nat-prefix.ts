/**
 * The prefix of a network HNS numbers itself (nat without subnets), and its gateway. One
 * function, called by the planner (so `pulumi preview` shows the prefix) and by the emulator.
 *
 * Microsoft documents the default: "The default internal IP prefix used for 'nat' is
 * 172.16.0.0/16" (learn.microsoft.com/virtualization/windowscontainers/container-networking/
 * architecture, "Basic networking architecture"). What HNS picks when that prefix is taken
 * is not documented (hosts have been seen with 172.29.144.0/20 and 172.27.144.0/20), so the
 * fallback is this project's rule: the next /16 of 172.16.0.0/12 (RFC 1918's 172.16/12
 * block) that overlaps nothing on the host.
 */
import { addressAt, overlaps, parseCidr, type Cidr } from "../net/cidr";

export const NAT_DEFAULT_PREFIX = "172.16.0.0/16";
/** Where the fallback looks, in /16 steps. */
export const NAT_PREFIX_POOL = "172.16.0.0/12";
const STEP_LENGTH = 16;

/** The gateway HNS gives a subnet without one: its first host address (hcsshim tests, Docker's windows driver). */
const GATEWAY_OFFSET = 1n;

export function defaultGateway(cidr: Cidr): string {
  return addressAt(cidr, GATEWAY_OFFSET);
}

/** The documented default when free, else the next free /16 of the pool; undefined when all 16 are taken. */
export function defaultNatPrefix(taken: readonly Cidr[]): string | undefined {
  const pool = parseCidr(NAT_PREFIX_POOL)!;
  const step = 1n << BigInt(32 - STEP_LENGTH);
  const candidates = [NAT_DEFAULT_PREFIX];
  for (let off = 0n; off < pool.size; off += step) candidates.push(`${addressAt(pool, off)}/${STEP_LENGTH}`);
  return candidates.find((c) => !taken.some((t) => overlaps(t, parseCidr(c)!)));
}

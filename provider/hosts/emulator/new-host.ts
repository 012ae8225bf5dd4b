/**
 * What a host's state file holds when the emulator first creates it: HNS's fresh state, the
 * access key's hash if the host demands one, and, for a host declared with Docker, the
 * network the Docker daemon makes at its first start.
 */
import type { HnsVersion } from "../../vocabulary/features";
import { hashAccessKey } from "./access";
import { createNetwork } from "./network";
import { initialState, type EmulatorState } from "./state";

/**
 * Docker's default network on Windows. "The first time the Docker Engine runs, it will create a
 * default NAT network, 'nat', which uses an internal vSwitch and a Windows component named
 * WinNAT" (https://learn.microsoft.com/en-us/virtualization/windowscontainers/container-networking/architecture).
 * The daemon names no prefix, so HNS picks one: the emulator's network-create path decides it.
 */
const DOCKER_DEFAULT_NETWORK = { Name: "nat", Type: "NAT" };

export async function newHostState(options: { version: HnsVersion; accessKey?: string; docker?: boolean }): Promise<EmulatorState> {
  const state = initialState(options.version, options.accessKey === undefined ? undefined : await hashAccessKey(options.accessKey));
  if (options.docker) createNetwork(state, DOCKER_DEFAULT_NETWORK);
  return state;
}

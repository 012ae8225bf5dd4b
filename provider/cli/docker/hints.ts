/**
 * The Docker option that supplies what a planner rule found missing or wrong, so a refused
 * `docker …` line is told in Docker's words (the rule's own fix is worded for a topology file).
 * Rules with no entry (docker-internal, encrypted-overlay, …) name something Windows does not
 * do at all: no Docker option helps, and the rule's fix says what to remove.
 */
import { OVERLAY_VXLANID_LIST, SHIM } from "./options";

/** The first VXLAN id Docker's overlay driver hands out (moby libnetwork, drivers/overlay/ovmanager/ovmanager.go: vxlanIDStart = 4096). */
export const DOCKER_FIRST_VXLAN_ID = 4096;

export const DOCKER_OPTION_FOR_RULE: Readonly<Record<string, string>> = {
  "overlay-vsid-required": `-o ${OVERLAY_VXLANID_LIST}=${DOCKER_FIRST_VXLAN_ID} (one VXLAN id per --subnet, ${DOCKER_FIRST_VXLAN_ID} or more; or -o ${SHIM}vsid=${DOCKER_FIRST_VXLAN_ID})`,
  "isolation-id-range": `-o ${OVERLAY_VXLANID_LIST}=${DOCKER_FIRST_VXLAN_ID} (or -o ${SHIM}vsid=…) with an id of ${DOCKER_FIRST_VXLAN_ID} or more`,
  "vlan-range": `-o ${SHIM}vlanid=<1-4094>`,
  "vlan-or-vsid": `either -o ${SHIM}vlanid or -o ${SHIM}vsid (or ${OVERLAY_VXLANID_LIST}), not both`,
  "subnet-required": "--subnet=<prefix> (for example --subnet=172.28.16.0/24)",
  "multiple-subnets": "one --subnet per address family",
  "subnet-size": "a larger --subnet",
  "gateway-outside-subnet": "--gateway=<an address inside --subnet>",
  "gateway-reserved": "--gateway=<a usable address of --subnet>",
  "prefix-overlap-host": "a --subnet that overlaps no other network on the host",
  "prefix-overlap-domain": "a --subnet that overlaps no other network",
  "duplicate-name": `another network name (the last word of docker network create, or -o ${SHIM}networkname=…)`,
  "address-outside-subnet": "--ip=<an address inside the network's --subnet>",
  "address-reserved": "--ip=<a usable address of the network's --subnet>",
  "address-duplicate": "--ip=<an address no other container has>",
  "host-port-conflict": "-p <another host port>:<container port>",
  "adapter-shared": `-o ${SHIM}interface=<an adapter no other network is bound to>`,
  "hyperv-hot-add": "--isolation=process, or give the network in docker run --network instead of docker network connect",
};

export { HnsEmulator, DEFAULT_HNS_VERSION, type EmulatorOptions } from "./emulator";
export { type EmulatorState, type Fault, type FaultInput, type FaultMode, HOST_DEFAULT_NAMESPACE_ID } from "./state";

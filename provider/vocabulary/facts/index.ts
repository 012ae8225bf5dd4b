/** HNS facts: one module the planner, the emulator and the docs generator read. */
export * from "./network-types";
export * from "./ranges";
export * from "./protocols";
export * from "./nat-prefix";
export * from "./policy-features";
export { FEATURES, HNS_VERSION_PRESETS, supports, requireFeature, type Feature } from "../features";

/**
 * The vocabulary of value types: the bottom layer that resources, host blocks, the topology,
 * raw HCN policy checks, the native schema and the docs all read. Each type's spec is written
 * once, beside its judgement (./spec.ts).
 */
export * from "./spec";
export * from "./text";
export * from "./address";
export * from "./port";
export * from "./mac";
export * from "./path";
export * from "./json";

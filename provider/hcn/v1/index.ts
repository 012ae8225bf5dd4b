// HNS v1 documents: their shapes, and the conversions to and from HCN v2.
export * from "./schemas";
export * from "./conversions";

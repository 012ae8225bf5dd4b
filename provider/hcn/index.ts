// HCN v2 + HNS v1 document model: zod schemas (types via z.infer), enum normalisation,
// v1 <-> v2 conversions and a reader for any HNS JSON. Pure: no I/O.
export * from "./common";
export * from "./policy";
export * from "./network";
export * from "./endpoint";
export * from "./namespace";
export * from "./loadbalancer";
export * from "./route";
export * from "./v1";
export * from "./policy-input";
export * from "./not-found";

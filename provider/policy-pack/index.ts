/**
 * The policy pack's entry point (dist/policy-pack/package.json `main`): serves the policies to
 * the engine. `pulumi preview --policy-pack node_modules/pulumi-hns/dist/policy-pack`
 * (docs/policy-pack.md). Loading this module starts the pack's gRPC server, so only the engine
 * loads it; tests use ./policies and ./program.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME } from "./name";
import { policiesFor } from "./policies";

new PolicyPack(PACK_NAME, { policies: policiesFor(process.env) });

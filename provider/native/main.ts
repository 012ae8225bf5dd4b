#!/usr/bin/env node
/**
 * `pulumi-resource-hns`: the executable the Pulumi engine starts for package `hns` (found on
 * PATH, or installed with `pulumi plugin install resource hns <version> --file <this file>`).
 * It prints its gRPC port and serves until the engine closes it.
 */
import { NativeProvider } from "./provider";
import { SCHEMA_TEXT, VERSION } from "./schema";
import { serve } from "./serve";

serve(new NativeProvider(SCHEMA_TEXT, VERSION), process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

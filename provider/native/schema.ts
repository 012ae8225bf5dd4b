/**
 * The package schema the plugin serves (GetSchema): schema/schema.json, generated from the zod
 * argument schemas by scripts/gen-schema.ts and checked in. Imported, so the build copies it
 * into dist/ beside the plugin.
 */
import schema from "../../schema/schema.json";

export const SCHEMA_TEXT = JSON.stringify(schema);
/** The plugin's version: the npm package's, which the generator writes into the schema. */
export const VERSION: string = (schema as { version?: string }).version ?? "0.0.0";

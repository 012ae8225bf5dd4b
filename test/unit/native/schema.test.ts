/**
 * schema/schema.json is generated (scripts/gen-schema.ts) from the zod argument schemas and
 * their JSDoc: the committed file must be what the generator makes now, and what it makes must
 * be a schema the engine and pulumi-yaml can use (every reference resolves, every resource the
 * plugin serves is there, every field described).
 */
import { readFileSync } from "node:fs";
import { NetworkArgs } from "../../../provider";
import { NATIVE_RESOURCES, tokenOf } from "../../../provider/native/resources";
import { SCHEMA_TEXT } from "../../../provider/native/schema";
import { generateSchema, SCHEMA_FILE, schemaText } from "../../../scripts/gen-schema";

const schema = generateSchema();
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test("the committed schema is what the generator makes (run `npm run schema` to update)", () => {
  expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(schemaText(schema));
});

test("the plugin serves the committed schema", () => {
  expect(JSON.parse(SCHEMA_TEXT)).toEqual(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")));
});

test("every resource the plugin serves is in the schema, with its outputs", () => {
  expect(Object.keys(schema.resources).sort()).toEqual(NATIVE_RESOURCES.map(tokenOf).sort());
  expect(schema.resources["hns:index:Network"].properties.networkId.type).toBe("string");
  expect(schema.resources["hns:index:Endpoint"].properties.appliedIpAddress.type).toBe("string");
});

test("descriptions are the JSDoc comments beside the zod fields; internal __ fields stay out", () => {
  const network = schema.resources["hns:index:Network"].inputProperties as Record<string, Json>;
  expect(Object.keys(network).sort()).toEqual(Object.keys(NetworkArgs.shape).filter((k) => !k.startsWith("__")).sort());
  const source = readFileSync(require.resolve("../../../provider/kinds/network/args"), "utf8");
  expect(source).toContain(network.type.description);
  for (const r of Object.values<Json>(schema.resources)) {
    for (const [name, p] of Object.entries<Json>(r.inputProperties)) expect([name, p.description ?? ""]).not.toEqual([name, ""]);
  }
});

test("host and name are optional inputs (provider config, resource name) but always outputs; credentials are secret", () => {
  const network = schema.resources["hns:index:Network"];
  expect(network.requiredInputs).toEqual(["type"]);
  expect(network.required).toEqual(expect.arrayContaining(["host", "name", "networkId"]));
  expect(schema.config.variables.host.$ref).toBe("#/types/hns:index:Host");
  const host = schema.types["hns:index:Host"].properties as Record<string, Json>;
  for (const f of ["accessKey", "privateKey", "password"]) expect(host[f].secret).toBe(true);
  expect(host.kind.description).toContain('"ssh"');
  expect(host.address.description).toMatch(/\(kind "ssh", "winrm"\)/);
});

test("every type reference resolves", () => {
  const refs = JSON.stringify(schema).match(/"#\/types\/[^"]+"/g) ?? [];
  expect(refs.length).toBeGreaterThan(0);
  for (const r of refs) expect(schema.types).toHaveProperty([JSON.parse(r).slice("#/types/".length)]);
});

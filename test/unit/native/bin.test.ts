/**
 * The shipped plugin executable (package.json bin `pulumi-resource-hns`, from dist/: `npm run
 * build` first): an executable node script that starts a gRPC server and prints its port on the
 * first line, as the engine expects of a plugin, with the schema the build put beside it.
 */
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../../..");
const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8"));
const bin = path.join(REPO, pkg.bin["pulumi-resource-hns"]);

test("pulumi-resource-hns is an executable node script", () => {
  expect(readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  expect(statSync(bin).mode & 0o111).not.toBe(0);
});

test("the build puts the committed schema beside the plugin", () => {
  const read = (f: string) => JSON.parse(readFileSync(path.join(REPO, f), "utf8"));
  expect(read("dist/schema/schema.json")).toEqual(read("schema/schema.json"));
});

test("started as the engine starts it, it prints the port it serves on", async () => {
  const child = spawn(bin, [], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]);
      });
      child.on("exit", (code) => reject(new Error(`exited with ${code}`)));
    });
    expect(first).toMatch(/^\d+$/);
  } finally {
    child.kill();
  }
});

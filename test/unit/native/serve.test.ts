/**
 * The shipped plugin (dist/: `npm run build` first) over gRPC, as the engine talks to it:
 * Configure says it supports previews, so the engine sends a preview's Create to it; that Create
 * touches no host and plans the network's ID, and the Create of the `up` after it makes the
 * object under that same ID.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { emulatorStateFile, type Host } from "../../../provider/hosts/host";
import { UNKNOWN } from "../../../provider/vocabulary/unknown";
import { tempDir } from "../../helpers/tmp";

const REPO = path.resolve(__dirname, "../../..");
const bin = path.join(REPO, JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).bin["pulumi-resource-hns"]);
/** Modules as @pulumi/pulumi loads them (the gRPC and protobuf versions its generated code expects). */
const fromPulumi = (name: string) => require(require.resolve(name, { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));
/* eslint-disable @typescript-eslint/no-explicit-any */
const grpc = fromPulumi("@grpc/grpc-js");
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const pb = require("@pulumi/pulumi/proto/provider_pb");
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");

const tmp = tempDir("hns-native-serve-");
const host: Host = { kind: "emulator", name: "s1", stateDir: tmp.dir };
const urn = "urn:pulumi:dev::proj::hns:index:Network::web";
let child: ChildProcess;
let client: any;

/** One unary call, as a promise. */
const call = (method: string, req: unknown): Promise<any> => new Promise((resolve, reject) => client[method](req, (err: unknown, resp: unknown) => (err ? reject(err) : resolve(resp))));

beforeAll(async () => {
  child = spawn(bin, [], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0]);
    });
    child.on("exit", (code) => reject(new Error(`exited with ${code}`)));
  });
  client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});
afterAll(() => {
  client?.close();
  child?.kill();
  tmp.cleanup();
});

test("Configure says the plugin supports previews; a preview's Create plans the network's ID with no host touched; the real Create makes it under that ID", async () => {
  const configure = new pb.ConfigureRequest();
  configure.setArgs(Struct.fromJavaScript({ host }));
  configure.setAcceptsecrets(true);
  configure.setAcceptresources(true);
  expect((await call("configure", configure)).getSupportspreview()).toBe(true);

  const check = new pb.CheckRequest();
  check.setUrn(urn);
  check.setOlds(Struct.fromJavaScript({}));
  check.setNews(Struct.fromJavaScript({ type: "nat", subnets: [{ prefix: "172.20.0.0/24" }] }));
  const checked = (await call("check", check)).getInputs();

  const create = (preview: boolean) => {
    const req = new pb.CreateRequest();
    req.setUrn(urn);
    req.setProperties(checked);
    req.setPreview(preview);
    return call("create", req);
  };
  const planned = await create(true);
  const outs = planned.getProperties().toJavaScript();
  expect(outs).toMatchObject({ type: "nat", networkId: expect.stringMatching(/^[0-9A-F-]{36}$/), appliedSubnets: UNKNOWN });
  expect(existsSync(emulatorStateFile(host))).toBe(false);

  const made = await create(false);
  expect(made.getId()).toBe(outs.networkId);
  expect(made.getProperties().toJavaScript()).toMatchObject({ networkId: outs.networkId, appliedSubnets: [{ prefix: "172.20.0.0/24" }] });
  expect(existsSync(emulatorStateFile(host))).toBe(true);
});

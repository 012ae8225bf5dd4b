/**
 * Serves the native provider over gRPC with `main` from `@pulumi/pulumi/provider`, with three
 * gaps of its server (3.248.0, provider/server.js) closed on the service object `main` registers:
 *
 * - Configure: the server answers it itself and drops the configuration, while `pulumi import`
 *   needs the provider config `hns:host`; the request's config now reaches NativeProvider.configure
 *   first.
 * - CheckConfig: the server answers UNIMPLEMENTED, and the engine then stores the provider's
 *   inputs as given, a host credential in plaintext among them; NativeProvider.checkConfig
 *   returns them with the credentials marked secret.
 * - Read: for `pulumi import` the engine sends no properties at all (only an ID), and the server
 *   calls `getProperties().toJavaScript()` on the missing struct; an empty struct stands in.
 */
import * as path from "node:path";
import { main } from "@pulumi/pulumi/provider";
import { parseConfig } from "./config";
import type { NativeProvider } from "./provider";

interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface ConfigureCall {
  request: { getArgs(): Struct | undefined; getVariablesMap(): { toObject(): [string, string][] } };
}
interface CheckCall {
  request: { getNews(): Struct | undefined };
}
interface ReadCall {
  request: { getProperties(): Struct | undefined; setProperties(s: Struct): void };
}
type Callback = (err: unknown, value?: unknown) => void;
type Handler<C> = (call: C, cb: Callback) => void;
type Service = Record<string, unknown> & { configure: Handler<ConfigureCall>; checkConfig: Handler<CheckCall>; read: Handler<ReadCall> };
interface CheckResponse {
  setInputs(s: Struct): void;
  setFailuresList(list: unknown[]): void;
}
interface CheckFailure {
  setProperty(p: string): void;
  setReason(r: string): void;
}

/** A module as `@pulumi/pulumi` itself loads it (the same gRPC server class, the same protobuf classes). */
function pulumiDependency<T>(name: string): T {
  const root = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  return require(require.resolve(name, { paths: [root] })) as T;
}

function wrap(provider: NativeProvider, impl: Service): void {
  const configure = impl.configure.bind(impl);
  impl.configure = (call, cb) => {
    try {
      const vars = Object.fromEntries(call.request.getVariablesMap().toObject());
      provider.configure(parseConfig(call.request.getArgs()?.toJavaScript(), vars));
    } catch (e) {
      cb(e);
      return;
    }
    configure(call, cb);
  };
  const { Struct } = pulumiDependency<{ Struct: (new () => Struct) & { fromJavaScript(v: unknown): Struct } }>("google-protobuf/google/protobuf/struct_pb");
  const proto = require("@pulumi/pulumi/proto/provider_pb") as { CheckResponse: new () => CheckResponse; CheckFailure: new () => CheckFailure };
  impl.checkConfig = (call, cb) => {
    provider
      .checkConfig(call.request.getNews()?.toJavaScript() ?? {})
      .then((r) => {
        const resp = new proto.CheckResponse();
        if (r.inputs) resp.setInputs(Struct.fromJavaScript(r.inputs));
        resp.setFailuresList(
          (r.failures ?? []).map((f) => {
            const failure = new proto.CheckFailure();
            failure.setProperty(f.property);
            failure.setReason(f.reason);
            return failure;
          }),
        );
        cb(undefined, resp);
      })
      .catch(cb);
  };
  const read = impl.read.bind(impl);
  impl.read = (call, cb) => {
    if (!call.request.getProperties()) call.request.setProperties(new Struct());
    read(call, cb);
  };
}

export async function serve(provider: NativeProvider, args: string[]): Promise<void> {
  const proto = pulumiDependency<{ Server: { prototype: { addService(def: unknown, impl: Service): void } } }>("@grpc/grpc-js").Server.prototype;
  const addService = proto.addService;
  proto.addService = function (this: unknown, def: unknown, impl: Service) {
    wrap(provider, impl);
    return addService.call(this, def, impl);
  };
  try {
    await main(provider, args);
  } finally {
    proto.addService = addService;
  }
}

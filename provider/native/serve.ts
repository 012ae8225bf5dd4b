/**
 * Serves the native provider over gRPC with `main` from `@pulumi/pulumi/provider`, with two
 * gaps of its server (3.248.0, provider/server.js) closed on the service object `main` registers:
 *
 * - Configure: the server answers it itself and drops the configuration, while `pulumi import`
 *   needs the provider config `hns:host`; the request's config now reaches NativeProvider.configure
 *   first.
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
interface ReadCall {
  request: { getProperties(): Struct | undefined; setProperties(s: Struct): void };
}
type Callback = (err: unknown, value?: unknown) => void;
type Handler<C> = (call: C, cb: Callback) => void;
type Service = Record<string, unknown> & { configure: Handler<ConfigureCall>; read: Handler<ReadCall> };

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
  const read = impl.read.bind(impl);
  const { Struct } = pulumiDependency<{ Struct: new () => Struct }>("google-protobuf/google/protobuf/struct_pb");
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

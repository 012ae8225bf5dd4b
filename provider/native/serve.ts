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
 * - Previews: the server's Configure does not say the provider supports previews, so the engine
 *   answers a preview's Create and Update itself with the inputs, and a network's `networkId`
 *   stays unknown to the program (an endpoint's `network: ${web.networkId}` cannot be judged
 *   against its network then). Configure now says so (ConfigureResponse.supportsPreview), and a
 *   Create or Update with `preview` set is answered by NativeProvider.previewCreate/previewUpdate,
 *   which touch no host; the server's own Create and Update, which do not pass the flag on,
 *   serve the rest (https://github.com/pulumi/pulumi/blob/v3.248.0/proto/pulumi/provider.proto:
 *   CreateRequest.preview, "true if this is a preview and the provider should not actually
 *   create the resource").
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
interface CreateCall {
  request: { getPreview(): boolean; getUrn(): string; getProperties(): Struct | undefined };
}
interface UpdateCall {
  request: { getPreview(): boolean; getId(): string; getUrn(): string; getOlds(): Struct | undefined; getNews(): Struct | undefined };
}
interface CheckCall {
  request: { getNews(): Struct | undefined };
}
interface ReadCall {
  request: { getProperties(): Struct | undefined; setProperties(s: Struct): void };
}
type Callback = (err: unknown, value?: unknown) => void;
type Handler<C> = (call: C, cb: Callback) => void;
type Service = Record<string, unknown> & {
  configure: Handler<ConfigureCall>;
  checkConfig: Handler<CheckCall>;
  read: Handler<ReadCall>;
  create: Handler<CreateCall>;
  update: Handler<UpdateCall>;
};
interface ConfigureResponse {
  setSupportspreview(v: boolean): void;
}
interface UpdateResponse {
  setProperties(s: Struct): void;
}
interface CreateResponse extends UpdateResponse {
  setId(id: string): void;
}
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

const { Struct } = pulumiDependency<{ Struct: (new () => Struct) & { fromJavaScript(v: unknown): Struct } }>("google-protobuf/google/protobuf/struct_pb");
const proto = require("@pulumi/pulumi/proto/provider_pb") as {
  CheckResponse: new () => CheckResponse;
  CheckFailure: new () => CheckFailure;
  CreateResponse: new () => CreateResponse;
  UpdateResponse: new () => UpdateResponse;
};

/** Answers a call with the response built from what `result` resolves to, or with its error. */
function answer<R>(result: Promise<R>, cb: Callback, respond: (r: R) => unknown): void {
  result.then(respond).then((resp) => cb(undefined, resp), cb);
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
    configure(call, (err, resp) => {
      (resp as ConfigureResponse | undefined)?.setSupportspreview(true);
      cb(err, resp);
    });
  };
  impl.checkConfig = (call, cb) =>
    answer(provider.checkConfig(call.request.getNews()?.toJavaScript() ?? {}), cb, (r) => {
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
      return resp;
    });
  const read = impl.read.bind(impl);
  impl.read = (call, cb) => {
    if (!call.request.getProperties()) call.request.setProperties(new Struct());
    read(call, cb);
  };
  wrapPreviews(provider, impl);
}

/** Create and Update with `preview` set go to the provider's preview methods; the rest to the server's own. */
function wrapPreviews(provider: NativeProvider, impl: Service): void {
  const create = impl.create.bind(impl);
  impl.create = (call, cb) => {
    const req = call.request;
    if (!req.getPreview()) return create(call, cb);
    answer(provider.previewCreate(req.getUrn(), req.getProperties()?.toJavaScript() ?? {}), cb, (r) => {
      const resp = new proto.CreateResponse();
      resp.setId(r.id);
      resp.setProperties(Struct.fromJavaScript(r.outs));
      return resp;
    });
  };
  const update = impl.update.bind(impl);
  impl.update = (call, cb) => {
    const req = call.request;
    if (!req.getPreview()) return update(call, cb);
    answer(provider.previewUpdate(req.getId(), req.getUrn(), req.getOlds()?.toJavaScript() ?? {}, req.getNews()?.toJavaScript() ?? {}), cb, (r) => {
      const resp = new proto.UpdateResponse();
      resp.setProperties(Struct.fromJavaScript(r.outs));
      return resp;
    });
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

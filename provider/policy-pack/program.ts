/**
 * The stack as the policy pack sees it, turned into what judgeProgram judges: every hns
 * resource (TypeScript SDK or native plugin), keyed by its URN, with its checked inputs. Pure:
 * no engine, no host, so it is unit-tested on plain objects.
 *
 * In a preview the engine gives a stack policy each resource's inputs as its outputs, with the
 * values not known yet as the engine's unknown placeholder (judgeProgram leaves those out).
 */
import { judgeProgram, type ProgramFinding, type ProgramResource } from "../judge/program";
import { dynamicTokenOf } from "../kinds/registry";
import { NATIVE_RESOURCES, tokenOf, type NativeResource } from "../native/resources";
import { UNKNOWN } from "../vocabulary/unknown";
import { networkContextOf, type NetworkContext } from "../kinds/endpoint/args";

/** What the pack reads of a resource: the fields of @pulumi/policy's PolicyResource it uses. */
export interface StackResource {
  type: string;
  urn: string;
  name: string;
  props: Record<string, unknown>;
  dependencies: readonly StackResource[];
  propertyDependencies: Record<string, readonly StackResource[]>;
}

/** Both front doors' type tokens: the native plugin's `hns:index:<Type>`, the SDK's dynamic-provider one (kinds/registry.ts). */
const RESOURCE_OF_TOKEN: ReadonlyMap<string, NativeResource> = new Map(NATIVE_RESOURCES.flatMap((r) => [[tokenOf(r), r] as const, [dynamicTokenOf(r), r] as const]));

/** The hns resource a type token names, if it names one. */
export const hnsResourceOf = (type: string) => RESOURCE_OF_TOKEN.get(type);

/**
 * @pulumi/policy hands a stack policy each resource's props behind a proxy that throws when a
 * value unknown in the preview is read, which would fail the whole policy at the first endpoint
 * naming its network by an ID not known yet. The proxy gives out its plain target for this key
 * (getSpecialProxyTarget in @pulumi/policy 1.21's proxy.js; @pulumi/policy uses it itself), so
 * the rules can leave the unknown values out instead, as check does.
 */
const PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * The engine's placeholders for values not known in a preview, one per type
 * (sdk/go/common/resource/plugin/rpc.go in pulumi/pulumi: UnknownBoolValue … UnknownObjectValue).
 * Each becomes UNKNOWN, the one placeholder check and judgeProgram recognize.
 */
const UNKNOWN_PLACEHOLDERS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  UNKNOWN,
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** A plain copy of props, with every unknown value as UNKNOWN. */
export function plainProps(props: unknown): Record<string, unknown> {
  const target = props !== null && typeof props === "object" ? ((props as Record<string, unknown>)[PROXY_TARGET] ?? props) : {};
  const plain = (v: unknown): unknown => {
    if (typeof v === "string") return UNKNOWN_PLACEHOLDERS.has(v) ? UNKNOWN : v;
    if (Array.isArray(v)) return v.map(plain);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return v;
  };
  return plain(target) as Record<string, unknown>;
}

const isNetworkContext = (v: unknown): v is NetworkContext => typeof v === "object" && v !== null && typeof (v as { type?: unknown }).type === "string";

/**
 * What an endpoint knows of its network (`__network`: type, subnets, name), which check needs to
 * judge its addresses and ports with the network's. The TypeScript SDK sends it when the program
 * passes the Network resource; otherwise (a YAML program, or `network: web.networkId`) it is the
 * Network resource the `network` input came from (its property dependency), else the one the
 * endpoint depends on whose ID is that input.
 */
function contextOfNetworkBehind(endpoint: StackResource, args: Record<string, unknown>, propsOf: (r: StackResource) => Record<string, unknown>): NetworkContext | undefined {
  if (isNetworkContext(args.__network)) return args.__network;
  const isNetwork = (r: StackResource) => hnsResourceOf(r.type)?.kind === "network";
  const viaInput = (endpoint.propertyDependencies.network ?? []).filter(isNetwork);
  const given = args.network;
  const network =
    viaInput.length === 1
      ? viaInput[0]
      : endpoint.dependencies.find((d) => isNetwork(d) && typeof given === "string" && given !== UNKNOWN && (propsOf(d).id === given || propsOf(d).networkId === given));
  if (!network) return undefined;
  const { type, subnets, name } = propsOf(network);
  if (typeof type !== "string" || type === UNKNOWN) return undefined;
  // Parts still unknown in a preview are left out where the program is judged (judge/program.ts).
  return networkContextOf({ type: type as NetworkContext["type"], subnets: subnets as NetworkContext["subnets"], name: name as string | undefined });
}

const byUrn = (a: StackResource, b: StackResource) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0);

/** The stack's hns resources as judgeProgram takes them, in URN order (the engine's order is not stable). */
export function programOf(resources: readonly StackResource[]): ProgramResource[] {
  const plain = new Map<string, Record<string, unknown>>();
  const propsOf = (r: StackResource) => {
    let p = plain.get(r.urn);
    if (!p) plain.set(r.urn, (p = plainProps(r.props)));
    return p;
  };
  const out: ProgramResource[] = [];
  for (const r of [...resources].sort(byUrn)) {
    const hns = hnsResourceOf(r.type);
    if (!hns) continue;
    const args = { ...propsOf(r) };
    if (hns.kind === "endpoint") {
      const context = contextOfNetworkBehind(r, args, propsOf);
      if (context) args.__network = context;
    }
    out.push({ key: r.urn, kind: hns.kind, args });
  }
  return out;
}

/** One violation to report: the message (resource, field, reason with rule id and fix) and the resource's URN. */
export interface Violation {
  urn: string;
  message: string;
  rule: string;
}

/** The message of a finding, in check's words: `<Type> resource '<name>': property <field>: <reason (rule id): fix>`. */
export function messageOf(resource: StackResource, f: ProgramFinding): string {
  const type = hnsResourceOf(resource.type)?.type ?? resource.type;
  const reason = f.reason.includes(`rule ${f.rule}`) ? f.reason : `${f.reason} (rule ${f.rule})`;
  return `${type} resource '${resource.name}': property ${f.property}: ${reason}`;
}

/** Every cross-resource violation of the stack at once. */
export function violationsOf(resources: readonly StackResource[]): Violation[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return judgeProgram(programOf(resources)).map((f) => ({ urn: f.key, rule: f.rule, message: messageOf(byUrn.get(f.key)!, f) }));
}

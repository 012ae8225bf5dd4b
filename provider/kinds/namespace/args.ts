/**
 * Namespace arguments: one HNS namespace (a network compartment) that endpoints attach to
 * (Endpoint.attach: { namespace }). Endpoints own their attachment; the namespace only reports it.
 */
import { z } from "zod";
import { HnsName } from "../../vocabulary/fields";
import { Host } from "../../hosts/host";
import { Adopt, Seed } from "../args";

/**
 * The kinds HcnCreateNamespace makes for a container: hcsshim's integration tests create Host
 * and Guest namespaces this way (hcn/hcnnamespace_test.go, TestSyncNamespaceHost and
 * TestSyncNamespaceGuest). HostDefault and GuestDefault name the default compartment, which
 * exists already (Endpoint.attach: "host" finds the host's by that type), so they are not offered.
 */
const NAMESPACE_KINDS = ["host", "guest"] as const;
export const NamespaceKind = z.enum(NAMESPACE_KINDS);
export type NamespaceKind = z.infer<typeof NamespaceKind>;

export const NamespaceArgs = z
  .object({
    /** The host whose HNS holds this object, and how to reach it (docs/reference/hosts.md). */
    host: Host,
    /**
     * A label kept in the stack's state only: HNS's namespace schema has no name (hcsshim's
     * HostComputeNamespace), so it is never sent to the host and changing it touches nothing there.
     * The SDK defaults it to the resource name.
     */
    name: HnsName.optional(),
    /** "host" (a compartment on the host, for process-isolated containers) or "guest" (for a Hyper-V isolated container's utility VM). Defaults to "host". */
    type: NamespaceKind.optional(),
    /** Take over an existing namespace by its HNS ID, e.g. `{ id: "<namespace GUID>" }`; a namespace has no name on the host, so `true` is refused. */
    adopt: Adopt.optional(),
    __seed: Seed.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.adopt === true) {
      ctx.addIssue({
        code: "custom",
        path: ["adopt"],
        message: "a namespace has no name on the host to find it by: give its ID, adopt: { id: \"<namespace GUID>\" }",
      });
    }
  });
export type NamespaceArgs = z.infer<typeof NamespaceArgs>;
/** What a program may write (before defaults). */
export type NamespaceInput = z.input<typeof NamespaceArgs>;

/** The type when none is given: a compartment on the host itself, what process-isolated containers use. */
export const DEFAULT_NAMESPACE_KIND: NamespaceKind = "host";

/** What the host resolved: the resource's outputs, added to the arguments in its state. */
export const NamespaceOutputs = z.object({
  /** HNS namespace ID (also the resource ID): pass it to Endpoint.attach as { namespace }. */
  namespaceId: z.string(),
  /** The compartment number HNS gave the namespace (HostComputeNamespace.NamespaceId). */
  compartmentId: z.number().optional(),
  /** IDs of the endpoints HNS reports attached, as of the last create, update or refresh. Read-only: each Endpoint owns its attachment. */
  endpoints: z.array(z.string()),
});
export type NamespaceOutputs = z.infer<typeof NamespaceOutputs>;
export type NamespaceState = NamespaceArgs & NamespaceOutputs;

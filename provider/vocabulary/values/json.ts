/**
 * User objects are JSON objects, not dictionaries: two keys that differ only in case are
 * refused (HNS reads its JSON case-insensitively, so which of `Action` and `action` a host
 * keeps is anyone's guess), and the input's depth and size are bounded so that checking it is
 * linear and cannot exhaust the stack. One iterative walk, before any schema sees the input.
 */
export interface ShapeProblem {
  path: (string | number)[];
  reason: string;
}

/** Deeper than any argument of ours needs (a topology is about 10 levels deep). */
export const MAX_INPUT_DEPTH = 64;
/** Values in one input; 10,000 endpoints with their policies stay well below it. */
export const MAX_INPUT_NODES = 2_000_000;

/**
 * Problems of an input's shape: case-duplicate keys (each named with its sibling), depth over
 * MAX_INPUT_DEPTH, more than MAX_INPUT_NODES values. Stops at the first depth or size problem.
 */
export function inputShapeProblems(root: unknown, maxDepth = MAX_INPUT_DEPTH, maxNodes = MAX_INPUT_NODES): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: root, path: [] }];
  let nodes = 0;
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (++nodes > maxNodes) return [...problems, { path: [], reason: `holds more than ${maxNodes} values: split it into several resources or topologies` }];
    if (v === null || typeof v !== "object") continue;
    if (path.length >= maxDepth) {
      return [...problems, { path: path.slice(0, 8), reason: `is nested more than ${maxDepth} levels deep, which no argument of an HNS resource is: remove the extra nesting` }];
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
      continue;
    }
    const seen = new Map<string, string>();
    for (const k of Object.keys(v)) {
      const lower = k.toLowerCase();
      const other = seen.get(lower);
      if (other !== undefined) {
        problems.push({ path: [...path, k], reason: `has both "${other}" and "${k}", which differ only in case: HNS reads keys case-insensitively, so keep one of them` });
      } else seen.set(lower, k);
      stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] });
    }
  }
  return problems;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

/**
 * The known name closest to `name` (case-insensitive), if it is plausibly a misspelling; else
 * the one known name that begins with it (or with its singular), if it is plausibly a shortening:
 * a topology's old `internal` is `internalPort`, a load balancer's old `ports` `portMappings`.
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  if (best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3))) return best;
  const lower = name.toLowerCase();
  const stem = lower.length >= 5 && lower.endsWith("s") ? lower.slice(0, -1) : lower;
  const longer = stem.length >= 4 ? known.filter((k) => k.toLowerCase().startsWith(stem) && k.toLowerCase() !== lower) : [];
  return longer.length === 1 ? longer[0] : undefined;
}

import type { RenderContext } from '../vocabulary/render-context';

/** The fields of render contexts that all of a group's plans carry alike, and what each carries of its own. */
export interface SplitContexts {
  /** Fields equal in every context of the group; null when nothing is shared (or the group has one plan). */
  shared: Partial<RenderContext> | null;
  /** Each context without the shared fields, in the order given (the context itself when nothing is shared). */
  own: Partial<RenderContext>[];
}

/**
 * Splits one event's contexts by top-level field: a flight's news tells its 300 passengers the same flight, reason and
 * type, and only their names, locale and booking differ. The planned insert then sends the shared fields once per event
 * and PostgreSQL joins them back onto each row (`shared || own`), rather than parsing the same 350 bytes of JSON 300
 * times: parsing a storm's 518-byte context took PostgreSQL 10–12 µs a row against 2.3–4.1 µs for its own 126 bytes
 * and the join (docs/decisions/0057). Fields are compared by value (the planner builds each passenger's flight afresh).
 */
export function splitSharedContexts(contexts: readonly RenderContext[]): SplitContexts {
  if (contexts.length < 2) return { shared: null, own: [...contexts] };
  const [first, ...rest] = contexts;
  const sharedKeys = (Object.keys(first) as (keyof RenderContext)[]).filter(
    (key) => first[key] !== undefined && rest.every((c) => c === first || sameJson(c[key], first[key])),
  );
  if (sharedKeys.length === 0) return { shared: null, own: [...contexts] };
  const shared: Partial<RenderContext> = {};
  for (const key of sharedKeys) Object.assign(shared, { [key]: first[key] });
  const own = contexts.map((c) => {
    const mine: Partial<RenderContext> = {};
    for (const key of Object.keys(c) as (keyof RenderContext)[]) if (!sharedKeys.includes(key)) Object.assign(mine, { [key]: c[key] });
    return mine;
  });
  return { shared, own };
}

/** Whether two JSON-shaped values (strings, numbers, booleans, null, arrays, plain objects) serialise alike. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  // A value JSON turns into something else (a Date into its ISO string) is compared as JSON has it.
  if (hasToJson(a) || hasToJson(b)) return JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => sameJson(v, other[i]));
  }
  const left = definedKeys(a as Record<string, unknown>);
  const right = definedKeys(b as Record<string, unknown>);
  return left.length === right.length && left.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** JSON leaves out fields whose value is undefined; so does the comparison. */
function definedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined);
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

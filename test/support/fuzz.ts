/** A small seeded generator, so a failing fuzz run can be repeated exactly. */
export class Fuzz {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  next(): number {
    // xorshift32
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x100000000;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  bytes(length: number): Buffer {
    return Buffer.from(Array.from({ length }, () => this.int(256)));
  }

  /** A nasty value of any JSON type: wrong types, huge or odd strings, deep nesting. */
  value(): unknown {
    return this.pick<() => unknown>([
      () => null,
      () => this.int(2) === 0,
      () => this.int(1e9) - 5e8,
      () => 1e308 * 10,
      () => '',
      () => 'x'.repeat(100_000),
      () => '\u202Eevil\u202C name \u200F',
      () => 'ctrl\u0000\u0007\u001b[31m',
      () => '{{constructor.constructor("return process")()}}',
      () => "'; DROP TABLE notifications; --",
      () => '<script>alert(1)</script>',
      () => '\uD800',
      () => [],
      () => ({}),
      () => nested(40),
      () => Array.from({ length: 50 }, () => 'a'),
    ])();
  }
}

function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}

/** Returns a copy of `event` with one random field replaced, removed or added, at any depth. */
export function mutate(fuzz: Fuzz, event: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const next = [...path, Array.isArray(node) ? Number(key) : key];
        paths.push(next);
        walk(child, next);
      }
    }
  };
  walk(copy, []);
  const path = fuzz.pick(paths);
  let parent: Record<string | number, unknown> = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const action = fuzz.int(3);
  if (action === 0) delete parent[last];
  else if (action === 1) parent[last] = fuzz.value();
  else parent[`unknown${fuzz.int(1000)}`] = fuzz.value();
  return copy;
}

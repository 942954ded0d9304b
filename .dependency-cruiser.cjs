/**
 * The house rules of src/, checked by `npm run lint:deps` and by src/architecture.spec.ts (so `npm test` checks them).
 * docs/architecture.md explains the layers; this file is what keeps that page true.
 *
 * Layers, bottom first. A file may import from its own layer and the layers below it, never from one above.
 */
const LAYERS = [
  // Shared words: configuration, masking, errors, pipes, and the records every module speaks of.
  { name: 'vocabulary', path: '^src/(common|config|vocabulary)/' },
  // Machinery with no notification knowledge: PostgreSQL, RabbitMQ, traces, metrics, timed jobs, who may call a
  // route, the audit trail of operator actions.
  { name: 'platform', path: '^src/(database|messaging|tracing|metrics|scheduling)/|^src/ops/(auth|audit)/' },
  // What a notification is: the planner and store, rendering, boarding-pass artefacts.
  { name: 'core', path: '^src/(notifications|rendering|boarding-passes)/' },
  // Events in: schemas, validation, inbox, parking, the consumer.
  { name: 'ingest', path: '^src/events/' },
  // What each kind of event means for passengers, and the personal data they leave behind.
  { name: 'bookings', path: '^src/bookings/' },
  { name: 'flights', path: '^src/flights/' },
  { name: 'checkins-privacy', path: '^src/(checkins|privacy)/' },
  // A passenger's reply that opts out, the same words on every channel; withdraws consent through bookings.
  { name: 'opt-out', path: '^src/opt-out/' },
  // Providers: one adapter per provider, their webhooks.
  { name: 'channels', path: '^src/channels/' },
  // Sends: claim, render, call the adapter, record.
  { name: 'delivery', path: '^src/delivery/' },
  // The outside edge and the wiring: operator API, metrics, health, OpenAPI, the app, the CLI and the demo.
  {
    name: 'app',
    path: '^src/ops/(?!(auth|audit)/)|^src/(health|openapi|cli|demo)/|^src/(app\\.factory|app\\.module|main|architecture\\.spec)\\.ts$',
  },
];

const any = (patterns) => patterns.map((p) => `(?:${p})`).join('|');

function layerRules() {
  const rules = [];
  LAYERS.forEach((layer, index) => {
    if (index === LAYERS.length - 1) return;
    // No exceptions: a lower module that needs something from above defines an interface the app wires
    // (docs/architecture.md). src/architecture.spec.ts fails if a rule here gains a `pathNot`.
    rules.push({
      name: `layer-${layer.name}`,
      comment: `${layer.name} must not import from a layer above it (${LAYERS.slice(index + 1).map((l) => l.name).join(', ')})`,
      severity: 'error',
      from: { path: layer.path },
      to: { path: any(LAYERS.slice(index + 1).map((l) => l.path)) },
    });
  });
  return rules;
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'a cycle of imports makes load order matter and hides which module owns what',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves to a file or an installed package',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-test-or-bench',
      comment: 'the service never imports test or bench code (specs beside the code are tests)',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'in-a-layer',
      comment: 'every file under src/ belongs to a layer: a new folder is added to LAYERS before it imports anything',
      severity: 'error',
      from: { path: '^src/', pathNot: any(LAYERS.map((l) => l.path)) },
      to: {},
    },
    ...layerRules(),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|var|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports of a package's declaration files (e.g. @nestjs/swagger's OpenAPI interfaces) resolve too.
    enhancedResolveOptions: { extensions: ['.ts', '.d.ts', '.js', '.json'] },
  },
};

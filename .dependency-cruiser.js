// The house's boundaries (../shared/design.md, rules 1, 2, 15 and 18), checked by `npm run boundaries` in .ci/run.
// Each rule says which imports it forbids; an exception names the exact file(s) and import it lets through, and
// why. Exceptions are per path: a rule is never loosened for a whole folder to make the check pass.
//
// Type-only imports (`import type …`) are seen too (`tsPreCompilationDeps`): a type still couples two modules.
// A rule treats them apart only where it says so (a station naming another station's ports, cycles closed by
// types).

const STATIONS = 'chat|parse|policy|desk|queue|build|artifacts|rollout|analysis|notify|audit|store|github|gitlab|kube|http|telemetry|config|markers';
const STATION = `^src/(${STATIONS})/`;

/**
 * The shared domain every station may import: deploy records, phases, strategies, the one error type, and where the
 * package's own files are.
 */
const SHARED_DOMAIN = ['^src/deploy/', '^src/errors\\.ts$', '^src/package-root\\.ts$'];

/**
 * A station's door for `import type`: the files where it declares the ports other stations receive by injection
 * (the composition root passes the implementation). Code is never imported through this door.
 */
const PORT_TYPES = ['^src/[^/]+/(index|types|schema|ports)\\.ts$', '^commands/(index|schema)\\.ts$'];

/**
 * Each SDK in exactly one home (design rule 2). The simulators (packages/sim) and the sandbox import none of them:
 * they speak HTTP to the real SDKs, so they need no exception.
 */
const SDK_HOMES = [
  { sdk: '@slack/bolt and @slack/*', to: '(^|/)node_modules/@slack/', home: '^src/chat/slack/' },
  { sdk: 'discord.js and @discordjs/*', to: '(^|/)node_modules/(discord\\.js|@discordjs)/', home: '^src/chat/discord/' },
  // Webhook signature checks (@octokit/webhooks) live in src/github too: src/build receives a verified payload.
  { sdk: '@octokit/*', to: '(^|/)node_modules/@octokit/', home: '^src/github/' },
  // GitLab's REST client (and its requester utilities, for a requester that does not retry by itself).
  { sdk: '@gitbeaker/*', to: '(^|/)node_modules/@gitbeaker/', home: '^src/gitlab/' },
  { sdk: '@kubernetes/client-node', to: '(^|/)node_modules/@kubernetes/client-node/', home: '^src/kube/' },
  // client-node's own HTTP client; src/kube hands client-node undici's request() in place of its fetch().
  { sdk: 'undici', to: '(^|/)node_modules/undici/', home: '^src/kube/' },
  { sdk: 'bullmq', to: '(^|/)node_modules/bullmq/', home: '^src/queue/' },
  { sdk: 'ioredis', to: '(^|/)node_modules/ioredis/', home: '^src/store/' },
  // Image signature verification (offline, against the configured key or trusted root); src/build fetches the signatures.
  { sdk: '@sigstore/*', to: '(^|/)node_modules/@sigstore/', home: '^src/artifacts/' },
  // Deckhand's own traces; loaded by the composition root only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  { sdk: '@opentelemetry/*', to: '(^|/)node_modules/@opentelemetry/', home: '^src/telemetry/deploy-tracer\\.ts$' },
];

/**
 * Returns the rule, minus the files named in `exceptions`, plus one copy per excepted file that forbids the same
 * imports except the ones its exceptions let through. So an exception never hides any other import of that file.
 */
function withExceptions(rule, exceptions) {
  const byFrom = new Map();
  for (const e of exceptions) byFrom.set(e.from, [...(byFrom.get(e.from) ?? []), e]);
  const asList = (v) => (v === undefined ? [] : [v].flat());
  const main = { ...rule, from: { ...rule.from, pathNot: [...asList(rule.from.pathNot), ...byFrom.keys()] } };
  const copies = [...byFrom].map(([from, es]) => ({
    ...rule,
    name: `${rule.name} (excepted file)`,
    comment: `${rule.comment} Excepted here: ${es.map((e) => `${e.to} (${e.because})`).join('; ')}`,
    // Keeps the rule's own `from.path` (its capture groups feed `$1` in `to`) and narrows it to the excepted file.
    from: { ...rule.from, pathNot: `^(?!${from.replace(/^\^/, '')})` },
    to: { ...rule.to, pathNot: [...asList(rule.to.pathNot), ...es.map((e) => e.to)] },
  }));
  return [main, ...copies];
}

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    // ---- 1. No import cycles -------------------------------------------------------------------------------
    // Two rules so that the one exception can only ever cover a cycle of types, never modules loading each other.
    {
      name: 'no-runtime-cycle',
      severity: 'error',
      comment: 'Modules that load each other: break the cycle with a small shared types module or an interface.',
      from: { path: '^(src|commands|packages/[^/]+/src)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-type-cycle',
      severity: 'error',
      comment:
        'A cycle closed by `import type`: no load-order problem, but still one idea split in two; move the ' +
        'shared types into a module both sides import.',
      from: { path: '^(src|commands|packages/[^/]+/src)/' },
      to: {
        circular: true,
        via: { dependencyTypes: ['type-only'] },
      },
    },

    // ---- 2. Each SDK has exactly one home --------------------------------------------------------------------
    ...SDK_HOMES.map(({ sdk, to, home }) => ({
      name: 'sdk-outside-its-home',
      severity: 'error',
      comment: `${sdk} is used only in ${home.slice(1)}; the rest of the code sees our own small interfaces.`,
      from: { path: '^(src|commands|bin|packages)/', pathNot: home },
      to: { path: to },
    })),

    // ---- 3. The Rego engine stands apart (packages/rego, design rule 18) --------------------------------------
    {
      name: 'rego-imports-the-bot',
      severity: 'error',
      comment:
        'packages/rego is an engine with its own users: it imports nothing from the bot (nor from another ' +
        'package), only its own files, Node and its declared dependencies.',
      from: { path: '^packages/rego/' },
      to: { path: '^(src|commands|bin|packages)/', pathNot: '^packages/rego/' },
    },
    {
      name: 'rego-outside-policy',
      severity: 'error',
      comment:
        'Only src/policy evaluates Rego; the CLI\'s `policy` subcommands (test, eval, conformance) drive the ' +
        'engine directly, as do bench/ and test/ (not cruised).',
      from: { path: '^(src|commands|bin|packages)/', pathNot: ['^packages/rego/', '^src/policy/', '^src/cli/policy[^/]*\\.ts$'] },
      to: { path: '^packages/rego/' },
    },
    {
      name: 'rego-internals',
      severity: 'error',
      comment: 'The bot enters the engine through its public door, packages/rego/src/index.ts (`@deckhand/rego`).',
      from: { path: ['^src/policy/', '^src/cli/'] },
      to: { path: '^packages/rego/', pathNot: '^packages/rego/src/index\\.ts$' },
    },
    {
      name: 'package-by-path',
      severity: 'error',
      comment:
        'The bot names a workspace package by its name (`@deckhand/rego`), never by a relative path into ' +
        'packages/: the name resolves to the public entry its package.json exports, and nothing else.',
      from: { path: '^(src|commands|bin)/' },
      to: { path: '^packages/', dependencyTypesNot: ['aliased-workspace'] },
    },

    // ---- 4. commands/ is pure --------------------------------------------------------------------------------
    ...withExceptions(
      {
        name: 'commands-not-pure',
        severity: 'error',
        comment:
          'commands/ holds the verbs as data and pure readers: it imports only itself, zod, the shared domain ' +
          'and the parser\'s types (no I/O, no Node built-ins, no SDKs).',
        from: { path: '^commands/' },
        to: { pathNot: ['^commands/', '(^|/)node_modules/zod/', '^src/deploy/', '^src/parse/types\\.ts$'] },
      },
      [
        {
          from: '^commands/grammar/read-until\\.ts$',
          to: '^src/config/duration\\.ts$',
          because: 'pure duration reader shared with config so `for 2h` reads as in deckhand.yaml; belongs in src/deploy',
        },
      ],
    ),

    // ---- 5. Stations import only the shared domain, config types, telemetry and their SDK home -------------------
    ...withExceptions(
      {
        name: 'station-imports-another-station',
        severity: 'error',
        comment:
          'A station imports the shared domain (src/deploy, src/errors.ts), telemetry and its own SDK home; only ' +
          'the composition root (main.ts, its parts in wiring/, and pipeline.ts) wires stations together.',
        from: { path: STATION },
        to: {
          path: '^(src|commands|bin)/',
          // The engines in packages/ are outside this rule's `path`: they have their own rules.
          pathNot: ['^src/$1/', ...SHARED_DOMAIN, '^src/telemetry/'],
          dependencyTypesNot: ['type-only'],
        },
      },
      [
        {
          from: '^src/parse/',
          to: '^commands/',
          because: 'stage [2] of the data flow is parse/ + commands/: the parser reads the registry of verbs',
        },
        {
          from: '^src/config/(describe-issue|read-env-vars)\\.ts$',
          to: '^commands/grammar/closest-match\\.ts$',
          because: 'did-you-mean for config keys reuses the pure edit-distance helper; move it to the shared domain',
        },
        {
          from: '^src/github/closest-tags\\.ts$',
          to: '^commands/grammar/closest-match\\.ts$',
          because: 'did-you-mean for tags reuses the pure edit-distance helper; move it to the shared domain',
        },
      ],
    ),
    {
      // Deliberate wiring: a station names the port it receives (rollout ← kube's workloads client and analysis'
      // providers, notify ← chat's ChatAdapter, desk ← store, policy, audit and kube ports) with `import type`;
      // the composition root passes the implementation. Only the other station's port-type files are reachable.
      name: 'station-types-only-from-doors',
      severity: 'error',
      comment:
        'A station may `import type` another station\'s ports only from its door (index.ts, types.ts, ' +
        'schema.ts, ports.ts), never from its inner files.',
      from: { path: STATION },
      to: {
        path: '^(src|commands|bin)/',
        pathNot: ['^src/$1/', ...SHARED_DOMAIN, '^src/telemetry/', ...PORT_TYPES],
        dependencyTypes: ['type-only'],
      },
    },

    // ---- The rest of the shape -------------------------------------------------------------------------------
    {
      name: 'shared-domain-imports-the-bot',
      severity: 'error',
      comment: 'src/deploy and src/errors.ts are the bottom layer: everyone imports them, they import no station.',
      from: { path: SHARED_DOMAIN },
      to: { path: '^(src|commands|bin)/', pathNot: SHARED_DOMAIN },
    },
    {
      name: 'simulator-imports-the-bot',
      severity: 'error',
      comment:
        'packages/sim is an engine with its own users (design rule 18): it imports nothing from the bot (nor from ' +
        'another package), only its own files, Node and its declared dependencies. The sandbox turns the config ' +
        'into the simulators\' options.',
      from: { path: '^packages/sim/' },
      to: { path: '^(src|commands|bin|packages)/', pathNot: '^packages/sim/' },
    },
    {
      name: 'simulator-outside-sandbox',
      severity: 'error',
      comment:
        'Simulated parts are added by the sandbox (and `deckhand sim`) only; the composition root and the stations ' +
        'build the same app for production and the sandbox (design rule 15).',
      from: { path: '^(src|commands|bin|packages)/', pathNot: ['^packages/sim/', '^src/sandbox/', '^src/cli/sim\\.ts$'] },
      to: { path: '^packages/sim/' },
    },
    {
      name: 'simulator-internals',
      severity: 'error',
      comment:
        'The bot enters the simulators through their public doors (`@deckhand/sim`, `/kube`, `/prometheus`, ' +
        '`/github`, `/gitlab`, `/discord`: packages/sim/src/index.ts and each simulator\'s index.ts), never their inner files.',
      from: { path: ['^src/sandbox/', '^src/cli/'] },
      to: { path: '^packages/sim/', pathNot: '^packages/sim/src/(index|kube/index|prometheus/index|github/index|gitlab/index|discord/index)\\.ts$' },
    },
    {
      name: 'app-built-outside-the-root',
      severity: 'error',
      comment:
        'src/wiring holds parts of the composition root, called from main.ts only, so that the app is built in one ' +
        'place (design rule 15): production, the sandbox and the tests all go through startDeckhand.',
      from: { path: '^(src|commands|bin)/', pathNot: ['^src/main\\.ts$', '^src/wiring/'] },
      to: { path: '^src/wiring/' },
    },
    {
      // src/cli and src/sandbox are entry points: they may import the composition root and any station.
      name: 'entry-point-imported',
      severity: 'error',
      comment: 'Nothing but bin/ and the other entry point imports src/cli or src/sandbox.',
      from: { path: '^(src|commands|packages)/', pathNot: '^src/(cli|sandbox)/' },
      to: { path: '^src/(cli|sandbox)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import the checker cannot resolve is an import it cannot check.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // Sees `import type` too, marked type-only.
    tsPreCompilationDeps: true,
    // Imports name the .ts file itself (allowImportingTsExtensions); the resolver finds it as written.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
      mainFields: ['main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};

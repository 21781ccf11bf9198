import type { CommandSpec, OptionSpec } from './command-line.ts';

// Only words here: each command's module is imported when it runs, so `--help` or a typo never loads the app.

const CONFIG: OptionSpec = {
  name: 'config', value: 'FILE',
  description: 'the config file to read; without it, $DECKHAND_CONFIG, else ./deckhand.yaml',
};

function port(value: string): string | undefined {
  return /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535 ? undefined : 'a port is a whole number from 1 to 65535.';
}

/** A port, or 0 for any free one (the command says which it got). */
function portOrAny(value: string): string | undefined {
  return value === '0' || port(value) === undefined ? undefined : 'a port is a whole number from 1 to 65535, or 0 for any free port.';
}

const POLICY_DIR = 'the folder of .rego files (and data.json), or an OPA bundle (.tar.gz); without it, the policies/ Deckhand ships with';

const policy: CommandSpec = {
  name: 'policy',
  summary: 'work with the Rego policies: test, evaluate, explain, serve them, or run OPA\'s conformance cases',
  description: ['Every command uses Deckhand\'s embedded Rego engine: no OPA binary is needed.'],
  subcommands: [
    {
      name: 'test',
      summary: 'run the policies\' test_ rules, like `opa test`',
      description: ['Exits 0 when every test passes, 1 when one fails or errs, or when there is no test at all.'],
      arguments: [{ name: 'DIR', description: `${POLICY_DIR} (test files included)` }],
      examples: [
        { command: 'deckhand policy test', note: 'the shipped policies\' own tests' },
        { command: 'deckhand policy test ./my-policies', note: 'your policies, with their *_test.rego files' },
      ],
      run: async ({ positionals }) => (await import('./policy.ts')).runPolicyTest(positionals[0]),
    },
    {
      name: 'eval',
      summary: 'evaluate a query against the policies and print the result as JSON',
      description: [
        'A bare reference (data.deckhand.deploy.decision) prints its value; any other query prints its variable '
        + 'bindings, one object per solution. Exits 1 when the result is undefined or evaluation fails.',
      ],
      arguments: [{ name: 'QUERY', description: 'a Rego reference or query', required: true }],
      options: [
        { name: 'input', value: 'FILE', description: 'a JSON file to use as `input`' },
        { name: 'data', value: 'FILE', description: 'a JSON file to use as `data`, instead of the folder\'s data.json' },
        { name: 'dir', value: 'DIR', description: POLICY_DIR },
      ],
      examples: [
        { command: 'deckhand policy eval --input in.json data.deckhand.deploy.decision', note: 'what the deploy policy decides for in.json' },
        { command: 'deckhand policy eval \'data.deckhand.config.approvals[env].approvers = n\'', note: 'one {env, n} per environment that needs approvals' },
      ],
      run: async ({ values, positionals }) => (await import('./policy.ts')).runPolicyEval({ ...values, query: positionals[0] ?? '' }),
    },
    {
      name: 'explain',
      summary: 'say why a decision came out as it did: the rules that fired and those that did not, like `opa eval --explain`',
      description: [
        'Prints the document\'s value, then each rule of its package and of the packages that one imports: the rules '
        + 'that fired, with what they produced, and the rules that did not, with the expression no solution got past '
        + '(file:row:col and its text). --explain full shows both, fails only the rules that did not fire, notes only '
        + 'those that did and print() output. Exits 1 when the document is undefined.',
      ],
      arguments: [{ name: 'QUERY', description: 'the document to explain (default data.deckhand.deploy.decision)' }],
      options: [
        { name: 'input', value: 'FILE', description: 'a JSON file to use as `input`' },
        { name: 'data', value: 'FILE', description: 'a JSON file to use as `data`, instead of the policies\' own data' },
        { name: 'dir', value: 'DIR', description: POLICY_DIR },
        { name: 'explain', value: 'MODE', description: 'full, fails or notes', default: 'full', check: (v) => (['full', 'fails', 'notes'].includes(v) ? undefined : 'the mode is full, fails or notes.') },
        { name: 'format', value: 'FORMAT', description: 'text or json', default: 'text', check: (v) => (v === 'text' || v === 'json' ? undefined : 'the format is text or json.') },
      ],
      examples: [
        { command: 'deckhand policy explain --input in.json', note: 'why the deploy policy decided what it did for in.json' },
        { command: 'deckhand policy explain --input in.json --explain fails data.deckhand.actions.decision', note: 'only the rules that did not fire' },
      ],
      run: async ({ values, positionals }) => (await import('./policy.ts')).runPolicyExplain({ ...values, query: positionals[0] ?? 'data.deckhand.deploy.decision' }),
    },
    {
      name: 'conformance',
      summary: 'run OPA\'s YAML conformance cases against the embedded engine',
      description: [
        'Judges each case as OPA\'s own runner does and prints, per folder, how many passed, failed or were skipped, '
        + 'with every skip and failure named with its reason: a skip is a case that calls a builtin left out on purpose '
        + '(http.send, net.lookup_ip_addr, providers.aws.sign_req) or a listed known failure. Works on a tree laid out '
        + 'like OPA\'s v1/test/cases/testdata/v1 (<DIR>/<folder>/*.yaml) and on one of its folders. Exits 1 when any '
        + 'case fails. A checkout of Deckhand carries OPA\'s cases in packages/rego/test/fixtures/opa-conformance/cases '
        + 'and its own in packages/rego/test/cases.',
      ],
      arguments: [{ name: 'DIR', description: 'the folder of OPA\'s cases (searched recursively for .yaml files)', required: true }],
      examples: [
        { command: 'deckhand policy conformance packages/rego/test/fixtures/opa-conformance/cases', note: 'OPA\'s cases, in a checkout of Deckhand' },
        { command: 'deckhand policy conformance packages/rego/test/cases', note: 'Deckhand\'s own cases for builtins and compile checks' },
        { command: 'deckhand policy conformance ~/opa/v1/test/cases/testdata/v1/jwtbuiltins', note: 'one folder of an OPA checkout' },
      ],
      run: async ({ positionals }) => (await import('./policy.ts')).runPolicyConformance(positionals),
    },
    {
      name: 'serve',
      summary: 'serve the policies over OPA\'s Data API, until Ctrl-C',
      description: [
        'Answers POST /v1/data/<package path> with {"input": …} as OPA does, so Deckhand\'s POLICY_URL (or anything else that speaks to OPA) can use it.',
        'Reloads the folder or bundle when it changes, as Deckhand itself does: a version that compiles answers from '
        + 'the next request on; one that does not is refused, with each error (file:line: OPA\'s error code: message) '
        + 'on stderr, and the last good version keeps answering. GET /health stays 200, as OPA\'s does after its first '
        + 'activation. Policies that do not compile at start are an error (exit 1).',
      ],
      options: [
        { name: 'port', value: 'N', description: 'the port to listen on (0: any free port, named at start)', default: '8181', check: portOrAny },
        { name: 'host', value: 'HOST', description: 'the address to listen on', default: '127.0.0.1' },
        { name: 'dir', value: 'DIR', description: POLICY_DIR },
      ],
      examples: [{ command: 'deckhand policy serve --port 8181', note: 'then: curl -d \'{"input": {}}\' localhost:8181/v1/data/deckhand/deploy/decision' }],
      run: async ({ values }) => (await import('./policy.ts')).runPolicyServe({ port: Number(values.port), host: values.host ?? '127.0.0.1', dir: values.dir }),
    },
  ],
};

/** Deckhand's command line, as the help shows it and as main.ts runs it. */
export const DECKHAND_COMMANDS: CommandSpec = {
  name: 'deckhand',
  summary: 'deploy, approve and roll back from chat',
  description: [
    '`deckhand start` is the way in: with nothing configured it is a sandbox on this machine, with a console chat. '
    + '`deckhand help <command>` is the same as `deckhand <command> --help`.',
  ],
  subcommands: [
    {
      name: 'start',
      summary: 'run Deckhand: serve Slack or Discord when configured, else the console sandbox',
      description: [
        'Reads the config and the environment. Without chat credentials this is the sandbox: a console chat with '
        + 'a simulated Kubernetes cluster, Prometheus and GitHub, and a redis-server of its own; Ctrl-C quits. '
        + 'With SLACK_* or DISCORD_* set (or inside a Kubernetes pod) it serves them on one HTTP server on $PORT '
        + '(default 3000) until SIGTERM.',
        'Real parts replace simulated ones one by one: REDIS_URL, KUBECONFIG, PROMETHEUS_URL, GITHUB_TOKEN, POLICY_URL.',
        'With --script, or with lines piped in, it runs the lines and exits: 0 when every command was accepted and '
        + 'every deploy succeeded, 1 otherwise.',
      ],
      options: [
        CONFIG,
        { name: 'script', value: 'FILE', description: 'run the chat lines of FILE in the sandbox, then exit' },
      ],
      examples: [
        { command: 'deckhand start', note: 'the sandbox: type /help, /deploy api v1.5.0 to staging, …' },
        { command: 'deckhand start --script examples/tour.txt', note: 'the tour, unattended' },
        { command: 'SLACK_BOT_TOKEN=xoxb-… SLACK_SIGNING_SECRET=… deckhand start', note: 'serve Slack on POST /slack/events (docs/slack.md)' },
      ],
      run: async ({ values }) => (await import('./start.ts')).runStart(values),
    },
    {
      name: 'sim',
      summary: 'run only the simulated Kubernetes cluster, for kubectl or a Deckhand started apart',
      description: ['Seeds the cluster from the config\'s sandbox section, writes a kubeconfig for it, and runs until Ctrl-C.'],
      options: [
        { name: 'port', value: 'N', description: 'the port of its API server; without it, a free port', check: port },
        { name: 'kubeconfig', value: 'PATH', description: 'where to write its kubeconfig; without it, .deckhand/kubeconfig in Deckhand\'s folder' },
        CONFIG,
      ],
      examples: [
        { command: 'deckhand sim --port 6443', note: 'then: KUBECONFIG=.deckhand/kubeconfig kubectl get deploy,pods -A' },
      ],
      run: async ({ values }) => (await import('./sim.ts')).runSim(values),
    },
    {
      name: 'check-config',
      summary: 'check the config and the environment, and report every problem at once',
      description: ['Exits 0 and lists the services when all is well; otherwise prints each problem as file:line:col: message and exits 1.'],
      options: [CONFIG],
      examples: [
        { command: 'deckhand check-config', note: 'checks ./deckhand.yaml (or $DECKHAND_CONFIG)' },
        { command: 'deckhand check-config --config prod.yaml', note: 'checks prod.yaml' },
      ],
      run: async ({ values }) => (await import('./check-config.ts')).runCheckConfig(values),
    },
    policy,
    {
      name: 'audit',
      summary: 'read Deckhand\'s audit log',
      subcommands: [{
        name: 'export',
        summary: 'write the audit log to stdout as JSON lines, oldest first',
        description: [
          'Reads the Redis stream <prefix>:audit: every command, policy decision, approval, cluster action and phase. '
          + 'Needs REDIS_URL, the Redis Deckhand uses (the sandbox prints the one it spawned when it starts). '
          + 'Exits 1 when Redis is not set or does not answer within 5 s.',
        ],
        options: [
          { name: 'since', value: 'WHEN', description: 'only entries from then on: a duration back from now (24h, 30m, 7d) or an ISO time (2026-11-22T10:00:00Z); without it, everything' },
          { name: 'prefix', value: 'P', description: 'the Redis key prefix of the Deckhand to read', default: 'deckhand' },
          CONFIG,
        ],
        examples: [
          { command: 'REDIS_URL=redis://localhost:6379 deckhand audit export --since 24h > audit.jsonl', note: 'the last day' },
        ],
        run: async ({ values }, io) => (await import('./audit.ts')).runAuditExport(values, io),
      }],
    },
    {
      name: 'discord',
      summary: 'set Deckhand up on Discord',
      subcommands: [{
        name: 'register',
        summary: 'register Deckhand\'s commands as Discord slash commands',
        description: [
          'Needs DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID. With DISCORD_GUILD_ID set they are that server\'s '
          + 'commands, which appear at once; otherwise global ones, which may take a while to show. Running it again is '
          + 'harmless: it replaces the whole set, so removed commands disappear.',
        ],
        options: [CONFIG],
        examples: [{ command: 'DISCORD_BOT_TOKEN=… DISCORD_APPLICATION_ID=… DISCORD_GUILD_ID=… deckhand discord register', note: 'on one server, at once' }],
        run: async ({ values }, io) => (await import('./discord.ts')).runDiscordRegister(values, io),
      }],
    },
    {
      name: 'version',
      summary: 'print Deckhand\'s version and the Node running it',
      examples: [{ command: 'deckhand --version', note: 'the same' }],
      run: async (_args, io) => (await import('./version.ts')).runVersion(io),
    },
  ],
};

import { pino, type Logger } from 'pino';
import { createSecretMask } from './create-secret-mask.ts';

export type { Logger };

/** Field names whose values are secrets wherever they appear in a log object. */
const SECRET_PATHS = [
  'token', 'botToken', 'appToken', 'signingSecret', 'password', 'authorization', 'secret',
  '*.token', '*.botToken', '*.appToken', '*.signingSecret', '*.password', '*.authorization', '*.secret',
  'headers.authorization', 'req.headers.authorization', 'config.runtime.slack', 'config.runtime.discord', 'config.runtime.github.token',
];

/**
 * pino's error serializer without the parts of driver errors that carry credentials: ioredis attaches the failed
 * command (`{name: 'auth', args: [password]}`) to a refused AUTH, HTTP clients attach the request with its headers.
 */
function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  return strip(pino.stdSerializers.err(err) as unknown as Record<string, unknown>, 0);
}

/** Parts of an error object that hold a whole request or command, credentials included. */
const DROPPED = new Set(['command', 'config']);
const SECRET_KEY = /^(authorization|proxy-authorization|cookie|set-cookie|password|token|secret)$/i;

function strip(o: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (DROPPED.has(k)) continue;
    if (SECRET_KEY.test(k)) out[k] = '[REDACTED]';
    else out[k] = depth < 5 && typeof v === 'object' && v !== null && !Array.isArray(v) ? strip(v as Record<string, unknown>, depth + 1) : v;
  }
  return out;
}

/**
 * JSON lines on stderr (stdout belongs to the console chat in the sandbox). Known secret fields are redacted by
 * path, credential-carrying parts of errors are left out, and every configured secret value is masked wherever it
 * appears in a line.
 */
export function createLogger(options: { level?: string; secrets?: readonly string[]; destination?: NodeJS.WritableStream } = {}): Logger {
  const mask = createSecretMask(options.secrets ?? []);
  const base = {
    level: options.level ?? 'info',
    redact: { paths: SECRET_PATHS, censor: '[REDACTED]' },
    serializers: { err: serializeError, error: serializeError, cause: serializeError },
  };
  const destination = (options.destination ?? process.stderr) as pino.DestinationStream;
  return pino({ ...base, hooks: { streamWrite: (line: string) => mask(line) } }, destination);
}

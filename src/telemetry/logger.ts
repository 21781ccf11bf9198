import { pino, type Logger } from 'pino';

export type { Logger };

/** Field names whose values are secrets wherever they appear in a log object. */
const SECRET_PATHS = [
  'token', 'botToken', 'appToken', 'signingSecret', 'password', 'authorization', 'secret',
  '*.token', '*.botToken', '*.appToken', '*.signingSecret', '*.password', '*.authorization', '*.secret',
  'headers.authorization', 'req.headers.authorization', 'config.runtime.slack', 'config.runtime.discord', 'config.runtime.github.token',
];

/**
 * JSON lines on stderr (stdout belongs to the console chat in the sandbox). Known secret fields are redacted by
 * path, and every configured secret value is masked wherever it appears in a message.
 */
export function createLogger(options: { level?: string; secrets?: readonly string[]; destination?: NodeJS.WritableStream } = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 6);
  const mask = (text: string): string => secrets.reduce((t, s) => t.split(s).join('[REDACTED]'), text);
  const base = { level: options.level ?? 'info', redact: { paths: SECRET_PATHS, censor: '[REDACTED]' } };
  const destination = (options.destination ?? process.stderr) as pino.DestinationStream;
  if (!secrets.length) return pino(base, destination);
  return pino({ ...base, hooks: { streamWrite: (line: string) => mask(line) } }, destination);
}

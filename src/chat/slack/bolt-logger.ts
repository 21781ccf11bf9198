import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

export interface AdapterLog {
  debug(o: object, msg: string): void;
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

/**
 * Bolt's logger interface over ours, so Bolt's own lines (a rejected signature, a listener error) land in the same
 * redacted JSON log instead of on the console. Bolt's level is fixed: ours filters.
 */
export function boltLoggerFor(log: AdapterLog): BoltLogger {
  const line = (level: keyof AdapterLog) => (...msg: unknown[]) => log[level]({ source: 'bolt' }, msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' '));
  return {
    debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'),
    setLevel: () => {}, getLevel: () => LogLevel.DEBUG, setName: () => {},
  };
}

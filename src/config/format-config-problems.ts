import type { ConfigProblem } from './problem.ts';

/** One problem per line, `file:line:col: message` (or `file: message` when there is no position). */
export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  return problems
    .map((p) => (p.line === undefined ? `${p.file}: ${p.message}` : `${p.file}:${p.line}:${p.col ?? 1}: ${p.message}`))
    .join('\n');
}

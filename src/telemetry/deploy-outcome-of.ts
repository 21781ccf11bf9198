import { isEndPhase, type Deploy, type Phase } from '../deploy/index.ts';
import type { DeployOutcome, Metrics } from './metrics.ts';

const isOutcome = (phase: Phase): phase is DeployOutcome => isEndPhase(phase);

/** How an ended deploy is counted: its end phase, its strategy (or `rollback`), request to end in seconds. */
export function deployOutcomeOf(d: Deploy): Parameters<Metrics['recordDeploy']>[0] | undefined {
  if (!isOutcome(d.phase)) return undefined;
  const strategy = d.action.kind === 'rollback' ? 'rollback' : d.action.strategy.kind;
  const seconds = (new Date(d.finishedAt ?? d.updatedAt).getTime() - new Date(d.createdAt).getTime()) / 1000;
  return { outcome: d.phase, strategy, durationSeconds: Math.max(0, seconds) };
}

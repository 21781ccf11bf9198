import type { Deploy, StepTable, StrategyKind } from '../deploy/index.ts';

/** One per strategy; the pipeline picks the driver by the deploy's strategy kind (or `rollback`). */
export interface RolloutDriver {
  readonly kind: StrategyKind | 'rollback' | 'gitops' | 'argo-rollouts';
  readonly steps: StepTable;
  /** Told once the deploy has ended, however it ended (a job given up on too): let go of what the driver holds. */
  onEnd?(d: Deploy): Promise<void>;
}

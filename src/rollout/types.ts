import type { StepTable, StrategyKind } from '../deploy/index.ts';

/** One per strategy; the pipeline picks the driver by the deploy's strategy kind (or `rollback`). */
export interface RolloutDriver {
  readonly kind: StrategyKind | 'rollback';
  readonly steps: StepTable;
}

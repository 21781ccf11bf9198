import type { ReplicaSet } from '../kube-types.ts';
import type { RolloutStatus } from './rollout-types.ts';

export const BLUE_GREEN_PAUSE = 'BlueGreenPause';

/** spec.strategy.blueGreen, the fields the sim runs. */
export interface BlueGreenStrategy {
  activeService: string;
  previewService?: string;
  autoPromotionEnabled: boolean;
  autoPromotionSeconds?: number;
  previewReplicaCount?: number;
}

export function parseBlueGreen(spec: Record<string, unknown> | undefined): BlueGreenStrategy | undefined {
  // activeService is required by Argo's validation; without it the strategy cannot run.
  if (!spec || typeof spec.activeService !== 'string') return undefined;
  return {
    activeService: spec.activeService,
    ...(typeof spec.previewService === 'string' ? { previewService: spec.previewService } : {}),
    autoPromotionEnabled: spec.autoPromotionEnabled !== false,
    ...(typeof spec.autoPromotionSeconds === 'number' ? { autoPromotionSeconds: spec.autoPromotionSeconds } : {}),
    ...(typeof spec.previewReplicaCount === 'number' ? { previewReplicaCount: spec.previewReplicaCount } : {}),
  };
}

export interface BlueGreenContext {
  strategy: BlueGreenStrategy;
  status: RolloutStatus;
  replicas: number;
  hash: string;
  newRS: ReplicaSet;
  paused: boolean;
  now: number;
  requeueAfter(ms: number): void;
}

/**
 * rollout/bluegreen.go for one pass: the new ReplicaSet comes up beside the active one (previewReplicaCount, else
 * all replicas) behind the preview Service; once available it is promoted — at once with autoPromotionEnabled
 * (default), after autoPromotionSeconds, or when a promote clears the BlueGreenPause condition; `promoteFull`
 * promotes without the pause. Promotion scales it to all replicas, then switches the active Service
 * (`status.blueGreen.activeSelector`) and makes it stable. Returns the replica count the new ReplicaSet wants.
 */
export function advanceBlueGreen(ctx: BlueGreenContext): number {
  const { status, strategy } = ctx;
  const preview = Math.min(strategy.previewReplicaCount ?? ctx.replicas, ctx.replicas);
  const available = ctx.newRS.status?.availableReplicas ?? 0;
  const previewReady = (ctx.newRS.spec.replicas ?? 0) >= preview && available >= preview;
  if (ctx.paused || !previewReady) return preview;
  if (!wantsPromotion(ctx)) return preview;
  delete status.pauseConditions;
  status.controllerPause = true;
  if ((ctx.newRS.spec.replicas ?? 0) < ctx.replicas || available < ctx.replicas) return ctx.replicas;
  status.blueGreen = { ...status.blueGreen, activeSelector: ctx.hash };
  status.stableRS = ctx.hash;
  delete status.controllerPause;
  delete status.promoteFull;
  return ctx.replicas;
}

function wantsPromotion(ctx: BlueGreenContext): boolean {
  const { status, strategy } = ctx;
  if (status.promoteFull) return true;
  const condition = status.pauseConditions?.find((c) => c.reason === BLUE_GREEN_PAUSE);
  // controllerPause without the condition: a promote removed it (or promotion already started).
  if (!condition && status.controllerPause) return true;
  if (strategy.autoPromotionEnabled && strategy.autoPromotionSeconds === undefined) return true;
  if (!condition) {
    status.pauseConditions = [...(status.pauseConditions ?? []), { reason: BLUE_GREEN_PAUSE, startTime: new Date(ctx.now).toISOString() }];
    status.controllerPause = true;
    if (strategy.autoPromotionEnabled && strategy.autoPromotionSeconds !== undefined) ctx.requeueAfter(strategy.autoPromotionSeconds * 1000);
    return false;
  }
  if (!strategy.autoPromotionEnabled || strategy.autoPromotionSeconds === undefined) return false;
  const left = Date.parse(condition.startTime) + strategy.autoPromotionSeconds * 1000 - ctx.now;
  if (left <= 0) return true;
  ctx.requeueAfter(left);
  return false;
}

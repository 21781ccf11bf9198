import type { Verb } from '../../commands/index.ts';
import type { Deploy } from '../deploy/index.ts';
import type { LockHolder } from '../store/index.ts';
import type { PolicyInput } from '../policy/index.ts';
import type { DeskWrites } from './desk.ts';
import { bindGrant, checkGrant } from './gate.ts';

type Freeze = PolicyInput['freezes'][number];

/** The stores as the composition root hands them over: raw, ungated. Only `guardWrites` sees them. */
export interface DeskStores {
  deploys: {
    create(draft: Omit<Deploy, 'id'>, idempotencyKey: string): Promise<{ created: boolean; deploy: Deploy }>;
    /** A save that changes the phase is audited by the same write, said in `note` (default: the summary). */
    update(id: string, change: (d: Deploy) => Deploy | undefined | Promise<Deploy | undefined>, lastSeen?: Deploy, note?: string): Promise<Deploy>;
  };
  locks: {
    acquire(service: string, env: string, holder: LockHolder): Promise<{ ok: true } | { ok: false; holder: LockHolder }>;
    swap(service: string, env: string, expected: LockHolder, next: LockHolder | undefined): Promise<boolean>;
    releaseDeploy(service: string, env: string, deployId: string): Promise<boolean>;
  };
  freezes: {
    add(f: Freeze): Promise<string>;
    clear(env: string): Promise<number>;
  };
  queue: { enqueue(kind: 'run' | 'expire', deployId: string, delayMs?: number): Promise<void>; wake?(deployId: string): Promise<void> };
}

/** The verbs that make a deploy record, and those that change one. */
const REQUEST: readonly Verb[] = ['deploy', 'rollback'];
const ON_A_DEPLOY: readonly Verb[] = [...REQUEST, 'approve', 'withdraw', 'deny', 'abort', 'promote', 'pause', 'resume'];

/** Wraps the raw stores so that every write checks the gate's grant: its verb, and what it is about (DeskWrites). */
export function guardWrites(s: DeskStores): DeskWrites {
  return {
    async createDeploy(grant, draft, key) {
      checkGrant(grant, { verbs: REQUEST, service: draft.service, env: draft.env });
      const r = await s.deploys.create(draft, key);
      return { ...r, grant: bindGrant(grant, r.deploy.id) };
    },
    updateDeploy(grant, id, change, note) {
      checkGrant(grant, { verbs: ON_A_DEPLOY, deployId: id });
      return s.deploys.update(id, change, undefined, note);
    },
    acquireLock(grant, service, env, holder) {
      checkGrant(grant, { verbs: [...REQUEST, 'lock'], service, env });
      return s.locks.acquire(service, env, holder);
    },
    swapLock(grant, service, env, expected, next) {
      checkGrant(grant, { verbs: [...REQUEST, 'lock', 'unlock'], service, env });
      return s.locks.swap(service, env, expected, next);
    },
    releaseDeployLock(grant, d) {
      checkGrant(grant, { verbs: ON_A_DEPLOY, deployId: d.id });
      return s.locks.releaseDeploy(d.service, d.env, d.id);
    },
    addFreeze(grant, f) {
      checkGrant(grant, { verbs: ['freeze'], env: f.env });
      return s.freezes.add(f);
    },
    clearFreezes(grant, env) {
      checkGrant(grant, { verbs: ['unfreeze'], env });
      return s.freezes.clear(env);
    },
    enqueue(grant, kind, deployId, delayMs) {
      checkGrant(grant, { verbs: [...REQUEST, 'approve'], deployId });
      return s.queue.enqueue(kind, deployId, delayMs);
    },
    async wake(grant, deployId) {
      checkGrant(grant, { verbs: ['abort', 'promote', 'pause', 'resume'], deployId });
      await s.queue.wake?.(deployId);
    },
  };
}

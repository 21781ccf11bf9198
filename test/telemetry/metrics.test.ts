import { describe, expect, it } from 'vitest';
import { apiTargetOf, createMetrics } from '../../src/telemetry/index.ts';

describe('createMetrics', () => {
  it('records each metric with its labels', async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.recordDeploy({ outcome: 'rolled_back', strategy: 'canary', durationSeconds: 90 });
    m.observeStep('apply', 0.2);
    m.observeStep('await', 3, 'error');
    m.observeQueueWait(0.04);
    m.recordPolicyDecision('needs_approval');
    m.recordPolicyDecision('deny', 'rollback');
    m.observeChatAck('slack', 0.12);
    m.recordApiError('kubernetes', '429');
    const { body, contentType } = await m.render();
    expect(contentType).toContain('text/plain');
    expect(body).toContain('deckhand_deploys_total{outcome="rolled_back",strategy="canary"} 1');
    expect(body).toContain('deckhand_deploy_duration_seconds_bucket{le="120",outcome="rolled_back",strategy="canary"} 1');
    expect(body).toContain('deckhand_step_duration_seconds_count{step="await",result="error"} 1');
    expect(body).toContain('deckhand_queue_wait_seconds_count 1');
    expect(body).toContain('deckhand_policy_decisions_total{result="needs_approval",package="deploy"} 1');
    expect(body).toContain('deckhand_policy_decisions_total{result="deny",package="rollback"} 1');
    expect(body).toContain('deckhand_chat_ack_seconds_bucket{le="0.25",platform="slack"} 1');
    expect(body).toContain('deckhand_api_errors_total{target="kubernetes",code="429"} 1');
  });

  it('reads queue depth on scrape and counts a failed read instead of failing the scrape', async () => {
    const m = createMetrics({ defaultMetrics: false });
    let fail = false;
    m.trackQueueDepth(async () => {
      if (fail) throw new Error('redis down');
      return { wait: 3, active: 1, delayed: 2 };
    });
    expect((await m.render()).body).toContain('deckhand_queue_depth{state="wait"} 3');
    fail = true;
    await m.render();
    const { body } = await m.render();
    expect(body).toContain('deckhand_queue_depth{state="wait"} 3');
    expect(body).toMatch(/deckhand_api_errors_total\{target="redis",code="queue_counts"\} [12]\n/);
  });

  it('keeps registries apart, so two Deckhands in one process (tests) do not collide', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.recordApiError('github', '500');
    expect((await b.render()).body).not.toContain('target="github"');
    expect((await a.render()).body).toContain('process_cpu_seconds_total');
  });
});

describe('apiTargetOf', () => {
  it.each([
    ['kube_api_error', 'kubernetes'], ['rollout_progress_deadline', 'kubernetes'], ['github_rate_limited', 'github'], ['build_failed', 'github'],
    ['gitlab_unavailable', 'gitlab'], ['registry_error', 'registry'], ['store_unavailable', 'redis'], ['policy_backend_unavailable', 'policy'],
    ['parse_unknown_command', undefined],
  ])('counts a %s failure against %s', (code, target) => {
    expect(apiTargetOf(code)).toBe(target);
  });
});

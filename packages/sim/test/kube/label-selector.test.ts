import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../../src/kube/api-error.ts';
import { parseFieldSelector } from '../../src/kube/field-selector.ts';
import { formatLabelSelector, labelSelectorMatcher, parseLabelSelector } from '../../src/kube/label-selector.ts';

describe('parseLabelSelector', () => {
  const labels = { app: 'api', tier: 'web' };
  it.each([
    ['', true],
    ['app=api', true],
    ['app==api', true],
    ['app!=api', false],
    ['app=api,tier=db', false],
    ['tier in (web, db)', true],
    ['tier notin (web)', false],
    ['app', true],
    ['!app', false],
    ['!missing,app in (api)', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('rejects nonsense with 400', () => {
    expect(() => parseLabelSelector('app=a=b')).toThrow(KubeApiError);
  });
});

describe('labelSelectorMatcher / formatLabelSelector', () => {
  const selector = { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] };
  it('matches the structured form and renders it like kubectl', () => {
    expect(labelSelectorMatcher(selector)({ app: 'api', tier: 'web' })).toBe(true);
    expect(labelSelectorMatcher(selector)({ app: 'api' })).toBe(false);
    expect(formatLabelSelector(selector)).toBe('app=api,tier in (web)');
  });
});

describe('parseFieldSelector', () => {
  const obj = { metadata: { name: 'api', namespace: 'shop' }, involvedObject: { kind: 'Deployment' } };
  it.each([
    ['metadata.name=api', true],
    ['metadata.name=web', false],
    ['metadata.namespace=shop,metadata.name!=web', true],
    ['involvedObject.kind=Deployment', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseFieldSelector(selector)(obj)).toBe(expected);
  });
});

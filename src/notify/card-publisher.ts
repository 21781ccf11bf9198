import type { Card } from '../chat/types.ts';
import { isEndPhase, type Deploy, type DeployEvent, type DeployLink } from '../deploy/index.ts';
import { renderCard, type CardExtras } from './render-card.ts';

/** Where cards go: the adapter of the platform the deploy was requested on. */
export type CardSink = (platform: string, card: Card) => Promise<void>;

/**
 * Turns deploy events into card updates. Keeps the latest progress and note per deploy so every card shows the
 * whole picture, and forgets a deploy once its final card is out.
 */
export class CardPublisher {
  private readonly sink: CardSink;
  private readonly extras = new Map<string, CardExtras>();
  private chain: Promise<void> = Promise.resolve();
  /** The service's links for a deploy, filled anew on each update (the time range of a running deploy moves on). */
  private readonly linksOf: ((d: Deploy) => DeployLink[]) | undefined;
  onError: (err: unknown) => void = () => {};

  constructor(sink: CardSink, options: { linksOf?: (d: Deploy) => DeployLink[] } = {}) {
    this.sink = sink;
    this.linksOf = options.linksOf;
  }

  publish(event: DeployEvent): void {
    const d = event.deploy;
    const extras = { ...this.extras.get(d.id) };
    if (event.kind === 'progress') { extras.progress = event.progress; extras.note = event.message; }
    if (event.kind === 'note') extras.note = event.message;
    if (event.kind === 'build') extras.note = event.message;
    if (event.kind === 'release_notes') extras.releaseNotes = event.message;
    // A canary's analysis rounds and step notes are news; the pod count of its last step is not.
    const progressive = d.action.kind === 'deploy' && (d.action.strategy.kind !== 'rolling' || d.delivery === 'argo-rollouts');
    if (event.kind === 'analysis') { extras.analysis = { label: event.label, verdict: event.verdict, checks: event.checks }; extras.progress = undefined; }
    if (event.kind === 'note' && progressive) extras.progress = undefined;
    if (event.kind === 'phase') {
      // While a deploy waits, its card keeps what it waits for (approvals, the freeze a hotfix goes through); votes
      // arrive as notes below it.
      extras.context = event.phase === 'awaiting_approval' && event.message ? event.message : undefined;
      extras.note = extras.context || (d.summary && event.message === d.summary) || !event.message ? undefined : event.message;
    }
    if (isEndPhase(d.phase)) this.extras.delete(d.id);
    else this.extras.set(d.id, extras);
    const card = renderCard(d, { ...extras, links: this.linksOf?.(d) });
    // In order per process, so an older state never overwrites a newer one.
    this.chain = this.chain.then(() => this.sink(d.requestedBy.platform, card)).catch(this.onError);
  }

  /** Resolves when every card update published so far has been delivered. */
  flush(): Promise<void> {
    return this.chain;
  }
}

import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { chat } from '../../deploy/index.ts';
import type { AdapterContext, Card, ChatAdapter, ChatEvent } from '../types.ts';
import { renderCardBody, renderCardHead, renderCardText } from './render-card-text.ts';
import { renderConsoleText } from './render-console-text.ts';

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  /** Who speaks when a line has no `@name` prefix. */
  defaultUser: string;
  /** Rewrite progress lines in place (a terminal); otherwise print each change on its own line. */
  live: boolean;
  /** Called once the input has ended and every line's reply was written. */
  onInputEnd?: () => void;
  /** Called after each line's reply was written (tests and scripts pace themselves by it). */
  onLineDone?: (lineNo: number) => void;
  /** `.wait` in a script: resolves once no deploy can move without a person. */
  waitUntilSettled?: () => Promise<void>;
}

/** `@bob /approve 12` speaks as bob; anything else speaks as the default user. */
export function splitSpeaker(line: string, defaultUser: string): { user: string; text: string } {
  const m = /^@([A-Za-z0-9._-]+)\s+(\S.*)$/s.exec(line.trim());
  if (m && m[1] && m[2] && !/^deckhand$/i.test(m[1])) return { user: m[1], text: m[2] };
  return { user: defaultUser, text: line.trim() };
}

/**
 * The sandbox's chat: stdin lines in, text out. Lines are handled one at a time, in order, so a script reads
 * like a conversation; deploy cards print as they change.
 */
export class ConsoleAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  private readonly o: ConsoleOptions;
  private lineNo = 0;
  private lastCardText = new Map<string, string>();
  private shownLines = new Map<string, Set<string>>();
  private liveLine: string | undefined;

  constructor(options: ConsoleOptions) {
    this.o = options;
  }

  async start(ctx: AdapterContext): Promise<void> {
    const rl = createInterface({ input: this.o.input, terminal: false });
    const session = Date.now().toString(36);
    void (async () => {
      for await (const raw of rl) {
        const line = raw.trim();
        this.lineNo++;
        if (!line || line.startsWith('#')) continue;
        // Console directives start with a dot, so they can never be mistaken for chat.
        if (line === '.wait') {
          await this.o.waitUntilSettled?.();
          continue;
        }
        const { user, text } = splitSpeaker(line, this.o.defaultUser);
        if (!this.o.live) this.print(renderConsoleText(chat`${user}> ${text}`));
        const event: ChatEvent = {
          kind: 'message',
          platform: 'console',
          text,
          actor: { id: user, name: user, platform: 'console', groups: [] },
          channel: 'console',
          deliveryId: `console:${session}:${this.lineNo}`,
          addressed: true,
        };
        await ctx.onEvent(event, async (reply) => this.print(renderConsoleText(reply.text)));
        this.o.onLineDone?.(this.lineNo);
      }
      this.o.onInputEnd?.();
    })();
  }

  async upsertCard(card: Card): Promise<void> {
    const text = renderCardText(card);
    if (this.lastCardText.get(card.deployId) === text) return;
    this.lastCardText.set(card.deployId, text);
    const head = renderCardHead(card);
    if (card.progress && !card.final) {
      // Progress changes often: one headline, rewritten in place on a terminal.
      if (this.o.live) this.writeLive(head);
      else this.print(head);
      return;
    }
    // A console cannot edit what it printed: show the headline and only the details not shown before.
    const shown = this.shownLines.get(card.deployId) ?? new Set<string>();
    const fresh = renderCardBody(card).filter((l) => !shown.has(l) || l.startsWith('    buttons:'));
    for (const l of fresh) shown.add(l);
    this.shownLines.set(card.deployId, shown);
    this.print([head, ...fresh].join('\n'));
  }

  private writeLive(line: string): void {
    this.o.output.write(`\r\x1b[2K${line}`);
    this.liveLine = line;
  }

  private print(text: string): void {
    if (this.liveLine !== undefined) {
      this.o.output.write('\r\x1b[2K');
      this.liveLine = undefined;
    }
    this.o.output.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  async stop(): Promise<void> {
    if (this.liveLine !== undefined) this.o.output.write('\n');
  }
}

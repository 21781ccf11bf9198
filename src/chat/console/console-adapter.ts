import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { chat, type ChatText } from '../../deploy/index.ts';
import type { AdapterContext, Card, CardAction, ChatAdapter, ChatEvent } from '../types.ts';
import { fitToWidth } from './fit-to-width.ts';
import { renderCardBody, renderCardHead, renderCardText } from './render-card-text.ts';
import { renderConsoleText } from './render-console-text.ts';

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  /** Who speaks when a line has no `@name` prefix. */
  defaultUser: string;
  /**
   * A person at a terminal: a `you> ` prompt, redrawn (with what was typed so far) under everything printed, and
   * progress rewritten in place on the line above it. Otherwise (a script, a pipe) every line and change is
   * printed in order, each line of input echoed as `user> text`.
   */
  live: boolean;
  /** Ctrl-C at the prompt: in live mode the terminal hands keys to the adapter instead of sending SIGINT. */
  onInterrupt?: () => void;
  /** Called once the input has ended and every line's reply was written. */
  onInputEnd?: () => void;
  /** Called after each line's reply was written (tests and scripts pace themselves by it). */
  onLineDone?: (lineNo: number) => void;
  /** `.wait` in a script: resolves once no deploy can move without a person. */
  waitUntilSettled?: () => Promise<void>;
  /** `.alert <service> [env] [name]`: fires an alert as Alertmanager would; answers what it did, for the screen. */
  injectAlert?: (args: string[]) => Promise<ChatText>;
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
  /** The buttons each deploy's card shows now: `.click` presses only one of these, as a click in Slack would. */
  private cardButtons = new Map<string, readonly CardAction[]>();
  private shownLines = new Map<string, Set<string>>();
  /** Live mode: the latest progress line of a deploy still rolling out, kept just above the prompt. */
  private progress: { deployId: string; line: string } | undefined;
  /** Whether that line is on the row right above the prompt (a line typed since has pushed it up). */
  private progressShown = false;
  private rl: Interface | undefined;
  private stopped = false;

  constructor(options: ConsoleOptions) {
    this.o = options;
  }

  async start(ctx: AdapterContext): Promise<void> {
    const live = this.o.live;
    const rl = createInterface({ input: this.o.input, output: live ? this.o.output : undefined, terminal: live, prompt: `${this.o.defaultUser}> ` });
    this.rl = rl;
    rl.once('close', () => { this.rl = undefined; });
    if (live) {
      rl.on('SIGINT', () => this.o.onInterrupt?.());
      // The line typed scrolls up with the progress line above it; the next output draws progress afresh below.
      rl.on('line', () => { this.progressShown = false; });
      rl.prompt();
    }
    const session = Date.now().toString(36);
    void (async () => {
      for await (const raw of rl) {
        const line = raw.trim();
        this.lineNo++;
        if (!line || line.startsWith('#')) {
          this.redrawPrompt();
          continue;
        }
        // Console directives start with a dot, so they can never be mistaken for chat.
        if (line === '.wait') {
          await this.o.waitUntilSettled?.();
          this.redrawPrompt();
          continue;
        }
        if (line === '.alert' || line.startsWith('.alert ')) {
          if (!this.o.live) this.print(line);
          this.print(renderConsoleText(this.o.injectAlert ? await this.o.injectAlert(line.split(/\s+/).slice(1)) : chat`Alerts cannot be injected here.`));
          this.redrawPrompt();
          this.o.onLineDone?.(this.lineNo);
          continue;
        }
        const { user, text } = splitSpeaker(line, this.o.defaultUser);
        if (!this.o.live) this.print(renderConsoleText(chat`${user}> ${text}`));
        if (text === '.click' || text.startsWith('.click ')) {
          const click = this.clickEvent(user, text.split(/\s+/).slice(1), `console:${session}:${this.lineNo}`);
          if ('problem' in click) this.print(renderConsoleText(click.problem));
          else await ctx.onEvent(click.event, async (reply) => this.print(renderConsoleText(reply.text)));
          this.redrawPrompt();
          this.o.onLineDone?.(this.lineNo);
          continue;
        }
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
        this.redrawPrompt();
        this.o.onLineDone?.(this.lineNo);
      }
      // Closed by stop(): nobody is waiting for the rest of the input.
      if (!this.stopped) this.o.onInputEnd?.();
    })();
  }

  /**
   * `.click Promote 3` (`@bob .click Approve 3`): a press of a button deploy #3's card shows now, as that speaker —
   * the same event a Slack or Discord click makes. A button the card does not show cannot be pressed.
   */
  private clickEvent(user: string, args: string[], deliveryId: string): { event: ChatEvent } | { problem: ChatText } {
    const [label, id] = args;
    const deployId = id?.replace(/^#/, '');
    if (!label || !deployId) return { problem: chat`Usage: .click <button> <deploy number> — presses a button of that deploy's card (e.g. .click Promote 3).` };
    const buttons = this.cardButtons.get(deployId) ?? [];
    const wanted = label.toLowerCase();
    const button = buttons.find((b) => b.label.toLowerCase() === wanted || b.id === wanted);
    if (!button) {
      return { problem: buttons.length
        ? chat`Deploy #${deployId}'s card has no ${label} button now; it shows: ${buttons.map((b) => b.label).join(', ')}.`
        : chat`No card of deploy #${deployId} shows buttons here.` };
    }
    return { event: { kind: 'action', platform: 'console', action: button.id, deployId, actor: { id: user, name: user, platform: 'console', groups: [] }, channel: 'console', deliveryId } };
  }

  async upsertCard(card: Card): Promise<void> {
    const text = renderCardText(card);
    this.cardButtons.set(card.deployId, card.actions);
    if (this.lastCardText.get(card.deployId) === text) return;
    this.lastCardText.set(card.deployId, text);
    const head = renderCardHead(card);
    if (card.progress && !card.final) {
      // Progress changes often: one headline, rewritten in place on a terminal.
      if (this.o.live) {
        this.progress = { deployId: card.deployId, line: head };
        this.print('');
      } else this.print(head);
      return;
    }
    // The deploy has moved past its progress (finished, paused, waiting): its card below says where it is.
    if (this.progress?.deployId === card.deployId) this.progress = undefined;
    // A console cannot edit what it printed: show the headline and only the details not shown before.
    const shown = this.shownLines.get(card.deployId) ?? new Set<string>();
    const fresh = renderCardBody(card).filter((l) => !shown.has(l) || l.startsWith('    buttons:'));
    for (const l of fresh) shown.add(l);
    this.shownLines.set(card.deployId, shown);
    this.print([head, ...fresh].join('\n'));
  }

  /**
   * Prints `text` as its own lines (the sandbox prints its #releases channel here too). In live mode the bottom of
   * the screen is redrawn under it: the progress line, rewritten in place on one row (cut to the terminal's width,
   * so it never wraps), then the prompt with what was typed so far.
   */
  print(text: string): void {
    if (!this.o.live) {
      this.o.output.write(text.endsWith('\n') ? text : `${text}\n`);
      return;
    }
    this.o.output.write('\r\x1b[2K');
    if (this.progressShown) this.o.output.write('\x1b[1A\r\x1b[2K');
    if (text) this.o.output.write(text.endsWith('\n') ? text : `${text}\n`);
    this.progressShown = this.progress !== undefined;
    if (this.progress) {
      const columns = (this.o.output as { columns?: number }).columns;
      this.o.output.write(`${columns ? fitToWidth(this.progress.line, columns) : this.progress.line}\n`);
    }
    this.redrawPrompt();
  }

  /** Live mode: the prompt again, with what was typed so far and the cursor where it was. */
  private redrawPrompt(): void {
    if (this.o.live && !this.stopped) this.rl?.prompt(true);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // Leaves the terminal as it was (readline restores cooked mode) on a clean line.
    if (this.o.live) this.o.output.write('\r\x1b[2K');
    this.rl?.close();
  }
}

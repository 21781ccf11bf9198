/**
 * Chat text as Deckhand writes it, before any platform sees it. The literal parts are Deckhand's own markup
 * (`*bold*` and `` `code` ``, nothing else); every interpolated value is text somebody else chose — a reason, a
 * display name, a version or service as typed, a policy's message, a lock note — and is kept apart as a `user`
 * segment, so each platform's renderer (chat/) escapes exactly those parts and nothing can ping, link or
 * mislead. Forgetting to escape is not possible: a value is user text unless it is itself a ChatText.
 *
 *   chat`🔒 ${service} is locked by ${name}. \`/unlock ${service}\` when it is safe.`
 */
export type ChatSegment = { readonly markup: string } | { readonly user: string };

export class ChatText {
  readonly segments: readonly ChatSegment[];

  constructor(segments: readonly ChatSegment[]) {
    this.segments = segments;
  }

  /** Everything as typed, nothing escaped: for logs, the audit log, tests and scripts' exit checks — never for chat. */
  toString(): string {
    return this.segments.map((s) => ('markup' in s ? s.markup : s.user)).join('');
  }

  get isEmpty(): boolean {
    return this.segments.every((s) => ('markup' in s ? s.markup : s.user) === '');
  }
}

/** A value placed into chat text: a ChatText is spliced in as it is; anything else is user text. */
export type ChatValue = ChatText | string | number | boolean | undefined | null;

function segmentsOf(value: ChatValue): readonly ChatSegment[] {
  if (value instanceof ChatText) return value.segments;
  if (value === undefined || value === null) return [];
  return [{ user: String(value) }];
}

/** The tag that builds chat text: literals are markup, values are user text (or ChatText, spliced). */
export function chat(strings: TemplateStringsArray, ...values: readonly ChatValue[]): ChatText {
  const out: ChatSegment[] = [];
  strings.forEach((literal, i) => {
    if (literal) out.push({ markup: literal });
    if (i < values.length) out.push(...segmentsOf(values[i]));
  });
  return new ChatText(out);
}

/** Text that is all somebody else's (a stored summary, a policy message). */
export function userText(text: string): ChatText {
  return new ChatText([{ user: text }]);
}

/**
 * Deckhand's own sentence quoting what somebody typed between backticks (the parser's answers: "Unknown service
 * `apx`. Did you mean `api`?"). Each backtick pair is Deckhand's code span; every character else, inside the spans
 * too, is user text, escaped for where it stands. The parser turns backticks in what it quotes into quotes
 * (commands/grammar `shown`), so the pairs are its own; an unpaired one stays a character.
 */
export function quotedText(text: string): ChatText {
  const parts = text.split('`');
  const paired = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  const out: ChatSegment[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      if (part) out.push({ user: part });
    } else if (i < paired) {
      out.push({ markup: '`' }, { user: part }, { markup: '`' });
    } else {
      out.push({ user: `\`${part}` });
    }
  });
  return new ChatText(out);
}

/** Text Deckhand wrote itself, whole (`/help`, built from the command registry): shown as markup. */
export function markupText(text: string): ChatText {
  return new ChatText([{ markup: text }]);
}

/** Joins pieces with a markup separator (`'\n'`, `' · '`); strings among them are user text. */
export function joinChat(parts: readonly ChatValue[], separator: string): ChatText {
  const out: ChatSegment[] = [];
  parts.forEach((p, i) => {
    if (i > 0 && separator) out.push({ markup: separator });
    out.push(...segmentsOf(p));
  });
  return new ChatText(out);
}

/** Coerces what may still be a plain string (user text, by default) into chat text. */
export function toChatText(value: ChatText | string): ChatText {
  return value instanceof ChatText ? value : userText(value);
}

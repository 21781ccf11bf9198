/** Lists names for a message: `api`, `web` and `worker`. */
export function listNames(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** A typed word as it appears inside a message: backticks removed, long words shortened. */
export function shown(text: string): string {
  const chars = Array.from(text.replaceAll('`', "'"));
  return chars.length > 40 ? `${chars.slice(0, 39).join('')}…` : chars.join('');
}

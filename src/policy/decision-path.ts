/** Which package answers which action: `data.deckhand.<package>.decision`. */
export function decisionPath(action: string): string {
  const pkg = action === 'deploy' || action === 'rollback' ? action : 'actions';
  return `deckhand/${pkg}/decision`;
}

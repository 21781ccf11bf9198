/**
 * Waits for `work` up to `ms`; past that, runs `otherwise` and stops waiting (the work is abandoned, not awaited).
 * A failure of `work` ends the wait like a success: whoever stops things goes on to the next one.
 */
export async function waitAtMost(ms: number, work: Promise<unknown>, otherwise: () => unknown): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => { timer = setTimeout(resolve, ms, 'late'); });
  const outcome = await Promise.race([work.then(() => 'done' as const, () => 'done' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') await Promise.resolve(otherwise()).catch(() => {});
}

// Plain JavaScript that any Node with ES modules parses: it runs before anything that needs a newer Node, so that an
// old Node prints what to do instead of a SyntaxError from deeper in the app.

// Deckhand runs its TypeScript with Node's built-in type stripping, loaded through module.registerHooks. 22.19 is the
// floor the project states on the 22 line; on the short-lived 23 line, 23.6 is the first with type stripping on.
const MINIMUM = { 22: 19, 23: 6 };

/** Whether Deckhand runs on this Node version (`process.versions.node`, e.g. "24.21.0"). */
export function isSupportedNode(version) {
  const parts = String(version).replace(/^v/, '').split('.');
  const major = Number(parts[0]);
  const minor = Number(parts[1]);
  if (!(major >= 22) || !(minor >= 0)) return false;
  if (major >= 24) return true;
  return minor >= MINIMUM[major];
}

/** What to tell someone on an older Node, or undefined on a Node that runs Deckhand. */
export function nodeVersionProblem(version) {
  if (isSupportedNode(version)) return undefined;
  return 'Deckhand needs Node 24 (22.19 at least); this is Node ' + String(version).replace(/^v/, '') + '.\n'
    + 'Use `npx deckhand …` in the project, which runs the Node 24 the project installs, or install Node 24.\n';
}

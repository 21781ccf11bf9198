/** Whether Deckhand runs on this Node version (`process.versions.node`, e.g. "24.21.0"). */
export declare function isSupportedNode(version: string): boolean;
/** What to tell someone on an older Node, or undefined on a Node that runs Deckhand. */
export declare function nodeVersionProblem(version: string): string | undefined;

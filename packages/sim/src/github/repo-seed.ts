import type { SimHistoryEntry } from './repo-graph.ts';

/** One repository the simulated GitHub starts with. */
export interface SimRepoSeed {
  /** `owner/name`. */
  fullName: string;
  history: SimHistoryEntry[];
  /** Tags whose image is already in the registry; the others are built on demand. */
  built: string[];
  /** Tags whose build fails. */
  failing?: string[];
  /** Files (path → UTF-8 text) every seeded commit holds: a config repository's starting tree. */
  files?: Record<string, string>;
  /** Branches besides `main`, created at its head (environment branches of a config repository). */
  branches?: string[];
}

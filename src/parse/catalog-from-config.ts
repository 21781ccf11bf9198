import type { Config } from '../config/index.ts';
import { defaultEnvOf } from '../../commands/grammar/read-env.ts';
import type { Catalog, CatalogService, ParseContext } from './types.ts';

/** Catalogs already built, per services table: every message is parsed against one, and a reload makes a new table. */
const built = new WeakMap<object, Catalog>();

/** What the parser needs to know about the configured services (built once per config; never changed by readers). */
export function catalogFromConfig(config: Pick<Config, 'services'>): Catalog {
  const known = built.get(config.services);
  if (known) return known;
  const catalog = buildCatalog(config);
  built.set(config.services, catalog);
  return catalog;
}

function buildCatalog(config: Pick<Config, 'services'>): Catalog {
  const services: Record<string, CatalogService> = {};
  for (const [name, service] of Object.entries(config.services)) {
    const entry: CatalogService = {
      environments: Object.keys(service.environments),
      versionPattern: service.versionPattern,
      defaultStrategy: service.defaultStrategy,
    };
    if (service.versionExample !== undefined) entry.versionExample = service.versionExample;
    const defaultEnv = defaultEnvOf({ ...entry, defaultEnv: service.defaultEnv });
    if (defaultEnv !== undefined) entry.defaultEnv = defaultEnv;
    services[name] = entry;
  }
  return { services };
}

/** A parse context for a place in chat: `addressed` where every message is for Deckhand (DMs, console). */
export function parseContextFromConfig(config: Pick<Config, 'services' | 'chat'>, where: { addressed: boolean; botUserId?: string }): ParseContext {
  const ctx: ParseContext = { catalog: catalogFromConfig(config), botName: config.chat.botName, addressed: where.addressed };
  if (where.botUserId !== undefined) ctx.botUserId = where.botUserId;
  return ctx;
}

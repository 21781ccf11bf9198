import type { webApi } from '@slack/bolt';
import type { Actor } from '../../deploy/index.ts';
import { SlackUser, SlackUserGroup } from './schema.ts';

export interface UserDirectoryOptions {
  client: webApi.WebClient;
  /** Also read Slack user groups (needs usergroups:read); config `groups` apply either way. */
  userGroups: boolean;
  ttlMs?: number;
  onError?(err: unknown, what: string): void;
}

interface Cached<T> { value: Promise<T>; at: number }

/**
 * Who a Slack user is: id (what policy and config match on), a name for cards (display only), and their Slack user
 * groups by id (`slack-usergroup:S…`, which a `groups:` list in deckhand.yaml may name). Answers are cached for a few
 * minutes; when Slack cannot answer, the person still gets an actor (id, the name the payload carried, no Slack
 * groups) — config groups by id still apply, and the policy decides with what it has.
 */
export class UserDirectory {
  private readonly o: UserDirectoryOptions;
  private readonly ttlMs: number;
  private readonly users = new Map<string, Cached<string | undefined>>();
  private groups: Cached<Map<string, string[]>> | undefined;

  constructor(options: UserDirectoryOptions) {
    this.o = options;
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
  }

  /** `team` is the workspace (or Enterprise org) the payload names, so config can pin an id to it. */
  async actor(userId: string, nameHint?: string, team?: string): Promise<Actor> {
    const [name, groups] = await Promise.all([this.nameOf(userId), this.groupsOf(userId)]);
    return { id: userId, name: name ?? nameHint ?? userId, platform: 'slack', groups, ...(team && { team }) };
  }

  private fresh<T>(c: Cached<T> | undefined): c is Cached<T> {
    return c !== undefined && Date.now() - c.at < this.ttlMs;
  }

  private nameOf(userId: string): Promise<string | undefined> {
    const hit = this.users.get(userId);
    if (this.fresh(hit)) return hit.value;
    const value = this.o.client.users.info({ user: userId }).then((r) => {
      const u = SlackUser.parse(r.user);
      return u.name || u.profile?.display_name || u.real_name || undefined;
    }, (err: unknown) => {
      this.o.onError?.(err, 'users.info');
      this.users.delete(userId);
      return undefined;
    });
    this.users.set(userId, { value, at: Date.now() });
    return value;
  }

  private async groupsOf(userId: string): Promise<string[]> {
    if (!this.o.userGroups) return [];
    if (!this.fresh(this.groups)) {
      const value = this.o.client.usergroups.list({ include_users: true }).then((r) => {
        const byUser = new Map<string, string[]>();
        for (const raw of r.usergroups ?? []) {
          const g = SlackUserGroup.safeParse(raw);
          if (!g.success || g.data.date_delete) continue;
          // By id: a handle can be renamed by whoever may edit user groups; the id cannot.
          for (const u of g.data.users ?? []) byUser.set(u, [...(byUser.get(u) ?? []), `slack-usergroup:${g.data.id}`]);
        }
        return byUser;
      }, (err: unknown) => {
        this.o.onError?.(err, 'usergroups.list');
        return new Map<string, string[]>();
      });
      this.groups = { value, at: Date.now() };
    }
    return (await this.groups.value).get(userId) ?? [];
  }
}

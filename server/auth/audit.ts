// The audit trail: every admin action as an event with its actor — budget changes (old and
// new values), pools created and retired, seats revoked (with the reason), tokens created
// and revoked, and any action taken for another user.
//
// License changes are audited from the domain's change feed: a transport runs an admin
// action inside `audited(identity, fn)`, which collects the changes that action published
// (an AsyncLocalStorage scope, so concurrent requests never mix) and writes them with the
// actor before the caller gets its answer. The domain itself stays unaware of identities.
import { AsyncLocalStorage } from 'node:async_hooks';
import { systemClock, type Clock } from '../clock.ts';
import type { Prisma } from '../db/database.ts';
import type { ChangeFeed } from '../licenses/change-feed.ts';
import type { LicenseChange, PoolStatus } from '../licenses/index.ts';
import type { Identity } from './roles.ts';

export const AUDIT_ACTIONS = [
  'budget_changed',
  'pool_created',
  'pool_retired',
  'seat_revoked',
  'token_created',
  'token_revoked',
  'borrowed_for',
  'returned_for',
  'heartbeat_for',
  'queue_left_for',
  'team_created',
  'team_deleted',
  'team_members_set',
  'shares_changed',
  'observed_source_created',
  'observed_source_deleted',
  'observed_price_set',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEventRecord {
  id: number;
  at: Date;
  actor: string;
  action: AuditAction;
  tool: string | null;
  target: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditQuery {
  actor?: string;
  tool?: string;
  action?: AuditAction;
  since?: Date;
  until?: Date;
  /** Newest first; `before` is the id of the last event of the previous page. */
  before?: number;
  limit: number;
}

interface Scope {
  changes: LicenseChange[];
}

/** Who acts, as the trail names them (open mode has no names). */
export const actorName = (id: Identity): string => id.user ?? 'anonymous (open mode)';

const budgetOf = (p: PoolStatus) => ({
  total: p.total,
  commit: p.commit,
  max_overage: p.maxOverage,
  commit_price: p.commitPrice,
  overage_price_per_license: p.overagePricePerLicense,
  lease_seconds: p.leaseSeconds,
  overage_mode: p.overageMode,
  billing_day: p.billingDay,
  spend_cap: p.spendCap,
});

const toRecord = (row: {
  id: number;
  at: Date;
  actor: string;
  action: string;
  tool: string | null;
  target: string | null;
  detail: string | null;
}): AuditEventRecord => ({
  id: row.id,
  at: row.at,
  actor: row.actor,
  action: row.action as AuditAction,
  tool: row.tool,
  target: row.target,
  detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
});

export class Audit {
  readonly #scope = new AsyncLocalStorage<Scope>();
  readonly #listeners = new Set<(e: AuditEventRecord) => void>();

  constructor(
    private readonly prisma: Prisma,
    feed: ChangeFeed,
    private readonly clock: Clock = systemClock,
  ) {
    feed.listen((change) => {
      const scope = this.#scope.getStore();
      if (scope) scope.changes.push(change);
    });
  }

  /** Runs an admin action and writes the changes it published to the trail with its actor. */
  async audited<T>(identity: Identity, fn: () => Promise<T>, extra?: Record<string, unknown>): Promise<T> {
    const scope: Scope = { changes: [] };
    const result = await this.#scope.run(scope, fn);
    for (const c of scope.changes) {
      const actor = actorName(identity);
      if (c.kind === 'budget_changed') {
        await this.record({
          actor,
          action: 'budget_changed',
          tool: c.pool.tool,
          detail: { before: budgetOf(c.previous), after: budgetOf(c.pool) },
        });
      } else if (c.kind === 'pool_created') {
        await this.record({ actor, action: 'pool_created', tool: c.pool.tool, detail: { after: budgetOf(c.pool) } });
      } else if (c.kind === 'pool_retired') {
        await this.record({ actor, action: 'pool_retired', tool: c.pool.tool });
      } else if (c.kind === 'revoked') {
        await this.record({
          actor,
          action: 'seat_revoked',
          tool: c.pool.tool,
          target: c.borrow.user,
          detail: { borrow_id: c.borrow.id, reason: c.reason, ...extra },
        });
      }
    }
    return result;
  }

  async record(e: { actor: string; action: AuditAction; tool?: string | null; target?: string | null; detail?: Record<string, unknown> }) {
    const row = await this.prisma.auditEvent.create({
      data: {
        at: this.clock.now(),
        actor: e.actor,
        action: e.action,
        tool: e.tool ?? null,
        target: e.target ?? null,
        detail: e.detail ? JSON.stringify(e.detail) : null,
      },
    });
    const record = toRecord(row);
    for (const l of this.#listeners) l(record);
    return record;
  }

  /** New audit events of this process, as they are written (the dashboard's activity feed). */
  listen(listener: (e: AuditEventRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async list(q: AuditQuery): Promise<{ items: AuditEventRecord[]; nextBefore: number | null }> {
    const rows = await this.prisma.auditEvent.findMany({
      where: {
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.tool !== undefined ? { tool: q.tool } : {}),
        ...(q.action !== undefined ? { action: q.action } : {}),
        ...(q.since || q.until ? { at: { ...(q.since ? { gte: q.since } : {}), ...(q.until ? { lt: q.until } : {}) } } : {}),
        ...(q.before !== undefined ? { id: { lt: q.before } } : {}),
      },
      orderBy: { id: 'desc' },
      take: q.limit + 1,
    });
    const items = rows.slice(0, q.limit).map(toRecord);
    return { items, nextBefore: rows.length > q.limit ? (items.at(-1)?.id ?? null) : null };
  }
}

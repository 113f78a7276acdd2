// The original's JSON field names, in the original's order; new fields after them.
import type { BorrowRecord, BudgetInput, LeaseRecord, OverageChargeRecord, PoolStatus, QueueTicketRecord } from '../licenses/index.ts';

export const statusJson = (p: PoolStatus) => ({
  tool: p.tool,
  total: p.total,
  borrowed: p.borrowed,
  available: p.available,
  commit: p.commit,
  max_overage: p.maxOverage,
  overage: p.overage,
  in_commit: p.inCommit,
  commit_price: p.commitPrice,
  overage_price_per_license: p.overagePricePerLicense,
  current_overage_cost: p.currentOverageCost,
  total_cost: p.totalCost,
  lendable: p.lendable,
  queued: p.queued,
  ...billingJson(p),
});

/** The billing settings and this period's overage spend, after the seed's fields. */
const billingJson = (p: PoolStatus) => ({
  overage_mode: p.overageMode,
  billing_day: p.billingDay,
  period_start: p.periodStart.toISOString(),
  period_end: p.periodEnd.toISOString(),
  period_overage_cost: p.periodOverageCost,
  spend_cap: p.spendCap,
});

export const borrowJson = (b: BorrowRecord) => ({
  id: b.id,
  tool: b.tool,
  user: b.user,
  borrowed_at: b.borrowedAt.toISOString(),
  expires_at: b.expiresAt?.toISOString() ?? null,
  host: b.host,
  project: b.project ?? null,
  team: b.team ?? null,
});

export const ticketJson = (t: QueueTicketRecord) => ({
  ticket_id: t.id,
  tool: t.tool,
  user: t.user,
  position: t.position,
  queued_at: t.queuedAt.toISOString(),
  expires_at: t.expiresAt?.toISOString() ?? null,
  state: t.state,
  host: t.host,
  lease_seconds: t.leaseSeconds,
  borrow: t.borrow && borrowJson(t.borrow),
  borrow_id: t.borrowId,
});

export const leaseJson = (l: LeaseRecord) => ({ id: l.id, tool: l.tool, user: l.user, expires_at: l.expiresAt?.toISOString() ?? null });

export const chargeJson = (c: OverageChargeRecord) => ({
  id: c.id,
  tool: c.tool,
  borrow_id: c.borrowId,
  user: c.user,
  charged_at: c.chargedAt.toISOString(),
  amount: c.amount,
  kind: c.kind ?? 'borrow',
});

export const budgetJson = (p: PoolStatus) => ({
  tool: p.tool,
  total: p.total,
  borrowed: p.borrowed,
  commit: p.commit,
  max_overage: p.maxOverage,
  commit_price: p.commitPrice,
  overage_price_per_license: p.overagePricePerLicense,
  lendable: p.lendable,
  lease_seconds: p.leaseSeconds,
  ...billingJson(p),
});

/** A budget body (PUT /config/budget, POST /config/tools) in the domain's terms. */
export const budgetInput = (b: {
  tool: string;
  total: number;
  commit: number;
  max_overage: number;
  commit_price: number;
  overage_price_per_license: number;
  lease_seconds?: number | null;
  billing_day?: number;
  overage_mode?: 'per_borrow' | 'per_seat_hour';
  spend_cap?: number | null;
}): BudgetInput => ({
  tool: b.tool,
  total: b.total,
  commit: b.commit,
  maxOverage: b.max_overage,
  commitPrice: b.commit_price,
  overagePricePerLicense: b.overage_price_per_license,
  leaseSeconds: b.lease_seconds,
  billingDay: b.billing_day,
  overageMode: b.overage_mode,
  spendCap: b.spend_cap,
});

// Observed FlexNet/RLM pools in the usage reports, the true-denial counts and the statements
// by team, beside the native pools (licenses/reports.ts and statements.ts call in through
// the ExtraPools interface). An observed pool is named `<source>/<feature>`; its holders'
// user names map to Floatline's teams by team membership as it is when the report is read
// (observed seats carry no team of their own). Seats are counted as usage.ts says; a
// denial is retried when the same user checked the same feature out within the grace.
import type { Dialect } from '../licenses/dialects/dialect.ts';
import { BUDGET_LIMITS } from '../licenses/limits.ts';
import type { ExtraPools, ExtraUsage, ReportQuery, UsageRowRecord } from '../licenses/reports.ts';
import { NO_PROJECT, NO_TEAM, usageSeries } from '../licenses/reports.ts';
import { seriesOrigin } from '../licenses/series-buckets.ts';
import { type StatementRecord, type StatementSubject, freezePrevious, subjectStatement } from '../licenses/statements.ts';
import { checkText } from '../licenses/text.ts';
import { invalidField, ObservedPoolNotFoundError } from './errors.ts';
import { ObservedReportQueries, type PriceRow, poolName, poolOfName } from './report-queries.ts';
import { groupOfUser, observedSeats } from './usage.ts';
import { checkSourceName } from './validation.ts';

export interface ObservedPriceInput {
  price?: number | null;
  billingDay?: number | null;
}

export type ObservedPriceRecord = PriceRow & { tool: string };

const MAX_PRICE = BUDGET_LIMITS.commitPrice.max;
const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits + 0;

export class ObservedReports implements ExtraPools {
  readonly queries: ObservedReportQueries;

  constructor(private readonly db: Dialect) {
    this.queries = new ObservedReportQueries(db);
  }

  /** Observed pools' rows of a usage report (every row: the caller sorts and pages them with the native ones). */
  async usage(q: ReportQuery, bucketSeconds: number, now: Date): Promise<ExtraUsage> {
    if (q.tool !== null && !q.tool.includes('/')) return { rows: [], first: null, last: null };
    const endMs = Math.min(q.to.getTime(), now.getTime());
    const pool = poolOfName(q.tool);
    const held = await this.queries.heldBefore(q.from, pool);
    const events = endMs > q.from.getTime() ? await this.queries.seatEvents(q.from, new Date(endMs), pool) : [];
    const logged = await this.queries.loggedFeatures(new Date(endMs));
    const teams = await this.queries.teams();
    const denials = await this.queries.denials(q.from, q.to, q.trueDenialMinutes * 60);
    const issued = await this.queries.issued();
    const originMs = seriesOrigin(q.from, bucketSeconds);
    const seats = observedSeats(
      {
        start: q.from.getTime() / 1000,
        end: endMs / 1000,
        dim: q.groupBy,
        cellSeconds: bucketSeconds,
        origin: originMs / 1000,
        tool: q.tool,
      },
      held,
      events,
      logged,
      teams,
    );
    const hours = Math.max(0, endMs - q.from.getTime()) / 3_600_000;
    const rows = new Map<string, UsageRowRecord>();
    const row = (tool: string, group: string | null) => {
      const k = JSON.stringify([tool, group]);
      let r = rows.get(k);
      if (!r) {
        const label = q.groupBy === 'pool' ? tool : (group ?? (q.groupBy === 'team' ? NO_TEAM : NO_PROJECT));
        r = {
          ...{ tool, group: label, peakSeats: 0, seatHours: 0, capacity: issued.get(tool) ?? 0, utilisation: 0 },
          ...{ denials: 0, trueDenials: 0, retriedDenials: 0, queueWaits: 0, queueWaitP50Seconds: null, queueWaitP95Seconds: null },
          ...{ expiries: 0, revocations: 0, series: usageSeries(new Map(), q.from, q.to, bucketSeconds, now) },
        };
        rows.set(k, r);
      }
      return r;
    };
    // Every observed pool seen now has a row at group_by pool, used or not, as native pools do.
    if (q.groupBy === 'pool') for (const tool of issued.keys()) if (q.tool === null || tool === q.tool) row(tool, '');
    let first: number | null = null;
    let last: number | null = null;
    for (const t of seats) {
      const r = row(t.tool, t.group);
      r.seatHours = round(t.seatSeconds / 3600);
      r.peakSeats = t.peak;
      r.utilisation = hours > 0 && r.capacity > 0 ? round(r.seatHours / (r.capacity * hours)) : 0;
      r.series = usageSeries(t.cells, q.from, q.to, bucketSeconds, now);
      if (t.first !== null) first = Math.min(first ?? t.first, t.first);
      if (t.last !== null) last = Math.max(last ?? t.last, t.last);
    }
    for (const d of denials) {
      const tool = poolName(d.source, d.feature);
      if (q.tool !== null && tool !== q.tool) continue;
      const grp = groupOfUser(q.groupBy, d.user, teams);
      const r = row(tool, q.groupBy === 'pool' ? '' : grp === '' && q.groupBy !== 'user' ? null : grp);
      r.denials += d.denials;
      r.retriedDenials += d.retried;
      r.trueDenials += d.denials - d.retried;
    }
    const at = (s: number | null) => (s === null ? null : new Date(s * 1000));
    return { rows: [...rows.values()], first: at(first), last: at(last) };
  }

  /** Statements of priced observed pools (one, or every priced one when `tool` is null). */
  async statements(tool: string | null, period: string | null | undefined, now: Date): Promise<StatementRecord[]> {
    const prices = (await this.queries.prices()).filter((p) => tool === null || poolName(p.source, p.feature) === tool);
    if (tool !== null && prices.length === 0)
      throw new ObservedPoolNotFoundError(tool, 'has no price: PUT /observed/pools/<source>/<feature>/price');
    const out: StatementRecord[] = [];
    for (const p of prices) {
      const s = await subjectStatement(this.db, this.#subject(p), period, now);
      if (s) out.push(s);
    }
    return out;
  }

  /** Freezes every priced observed pool's previous period not frozen yet (the retention job, before it prunes). */
  async freezeClosed(now: Date): Promise<void> {
    for (const p of await this.queries.prices()) await freezePrevious(this.db, this.#subject(p), now);
  }

  #subject(p: PriceRow): StatementSubject {
    const tool = poolName(p.source, p.feature);
    return {
      ...{ tool, commitPrice: p.price, billingDay: p.billingDay },
      since: async () => {
        const first = await this.queries.firstEvent(p.source, p.feature);
        // A pool priced before any check-out of it existed from the day it was priced.
        return first === null || first.getTime() > p.updatedAt.getTime() ? p.updatedAt : first;
      },
      use: async (period, now) => {
        const q: ReportQuery = {
          ...{ from: period.start, to: period.end, groupBy: 'team', tool, trueDenialMinutes: 0 },
          ...{ first: 1, offset: 0 },
        };
        const end = Math.min(period.end.getTime(), now.getTime());
        const pool = { source: p.source, feature: p.feature };
        const held = await this.queries.heldBefore(period.start, pool);
        const events = end > period.start.getTime() ? await this.queries.seatEvents(period.start, new Date(end), pool) : [];
        const seats = observedSeats(
          { start: q.from.getTime() / 1000, end: end / 1000, dim: 'team', cellSeconds: null, origin: 0, tool },
          held,
          events,
          await this.queries.loggedFeatures(new Date(end)),
          await this.queries.teams(),
        );
        return { seats: seats.map((t) => ({ group: t.group, seatSeconds: t.seatSeconds })), overage: [] };
      },
    };
  }

  /** Sets what an observed pool costs per billing period (admin). The pool must be known: seen now or in the history. */
  async setPrice(source: string, feature: string, input: ObservedPriceInput, now: Date): Promise<ObservedPriceRecord> {
    checkSourceName(source, 'source');
    checkText('feature', feature);
    const price = input.price;
    if (price === null || price === undefined) throw invalidField('price', 'Field required', 'missing');
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0 || price > MAX_PRICE) {
      throw invalidField('price', `price must be a number from 0 to ${MAX_PRICE}`);
    }
    const billingDay = input.billingDay ?? 1;
    if (!Number.isInteger(billingDay) || billingDay < 1 || billingDay > 28) {
      throw invalidField('billingDay', 'billing_day must be an integer from 1 to 28', 'int_type');
    }
    const tool = poolName(source, feature);
    const known = (await this.queries.issued()).has(tool) || (await this.queries.firstEvent(source, feature)) !== null;
    if (!known) throw new ObservedPoolNotFoundError(tool, 'is not observed (no pool and no history)');
    await this.queries.setPrice({ source, feature, price, billingDay, at: now });
    return { tool, source, feature, price, billingDay, updatedAt: now };
  }

  /** Prices set, by (source, feature): `limit` after the key `after`. */
  async prices(limit: number, after: [string, string] | null): Promise<ObservedPriceRecord[]> {
    return (await this.queries.prices({ limit, after })).map((p) => ({ ...p, tool: poolName(p.source, p.feature) }));
  }
}

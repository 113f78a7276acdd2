// Pure helpers of the dashboard: the usage chart's step lines, the words users read and the budget form's checks.
import { describe, expect, it } from 'vitest';
import { stepPath, timeTicks, visibleSteps } from '../client/src/lib/step-path';
import { denialText, eventText, formatSeconds, ticketEndText } from '../client/src/lib/format';
import { backoffDelay } from '../client/src/lib/backoff';
import { budgetValueProblem, leaseSecondsProblem } from '../client/src/lib/budget-values';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString();
const t = (minute: number) => Date.parse(at(minute));

describe('usage chart steps', () => {
  it('starts at the value held when the window opens and keeps later changes', () => {
    const points = [
      { at: at(0), borrowed: 2 },
      { at: at(5), borrowed: 3 },
      { at: at(20), borrowed: 1 },
    ];
    expect(visibleSteps(points, t(10), t(30))).toEqual([
      { t: t(10), v: 3 },
      { t: t(20), v: 1 },
    ]);
  });

  it('pins a point stamped after the window end to the right edge', () => {
    expect(visibleSteps([{ at: at(31), borrowed: 4 }], t(0), t(30))).toEqual([{ t: t(30), v: 4 }]);
  });

  it('draws horizontal-then-vertical steps up to the window end', () => {
    const scale = { x: (x: number) => (x - t(0)) / 60_000, y: (v: number) => 10 - v };
    expect(
      stepPath(
        [
          { t: t(0), v: 1 },
          { t: t(5), v: 3 },
        ],
        t(10),
        scale,
      ),
    ).toBe('M0.0,9.0H5.0V7.0H10.0');
    expect(stepPath([], t(10), scale)).toBe('');
  });

  it('puts time ticks on round minutes', () => {
    const ticks = timeTicks(t(0) + 1, t(60), 6);
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.length).toBeLessThanOrEqual(7);
    for (const tick of ticks) expect(tick % 600_000).toBe(0);
  });
});

describe('words', () => {
  it('explains each denial reason', () => {
    expect(denialText('EXHAUSTED', 'cad_tool')).toMatch(/Pool exhausted/);
    expect(denialText('MAX_OVERAGE', 'cad_tool')).toMatch(/Overage allowance used up/);
    expect(denialText('UNKNOWN_TOOL', 'nope')).toMatch(/no tool called/);
  });

  it('describes feed events', () => {
    const base = {
      ...{ id: '1', at: at(0), tool: 'cad_tool', user: 'ada', borrowId: 'b', reason: null, borrowed: 1, total: 5 },
      ...{ revocationReason: null, leftBecause: null, ticketId: null },
    };
    expect(eventText({ ...base, type: 'BORROWED' })).toBe('ada borrowed cad_tool');
    expect(eventText({ ...base, type: 'DENIED', reason: 'MAX_OVERAGE' })).toBe('ada was refused cad_tool — overage allowance used up');
    expect(eventText({ ...base, type: 'BUDGET_CHANGED', user: null })).toBe('Budget for cad_tool changed: 5 seats in total');
    expect(eventText({ ...base, type: 'BUDGET_CHANGED', user: null, total: 1 })).toBe('Budget for cad_tool changed: 1 seat in total');
    expect(eventText({ ...base, type: 'POOL_CREATED', user: null, total: 1 })).toBe('Pool cad_tool created with 1 seat');
    expect(eventText({ ...base, type: 'POOL_CREATED', user: null })).toBe('Pool cad_tool created with 5 seats');
    expect(eventText({ ...base, type: 'REVOKED', revocationReason: 'job hung' })).toBe(
      "ada's seat of cad_tool was released by an admin — job hung",
    );
    expect(eventText({ ...base, type: 'LEFT_QUEUE', leftBecause: 'expired' })).toBe('ada stopped waiting for cad_tool (ticket expired)');
  });
});

describe('the line', () => {
  it('says a lease length as people do', () => {
    expect(formatSeconds(45)).toBe('45 s');
    expect(formatSeconds(60)).toBe('1 min');
    expect(formatSeconds(150)).toBe('2 min 30 s');
    expect(formatSeconds(3600)).toBe('1 h');
    expect(formatSeconds(3900)).toBe('1 h 5 min');
  });

  it("tells a waiter how the place in line ended, with the granted seat's lease", () => {
    const ticket = { tool: 'cad_tool', leaseSeconds: 60 };
    expect(ticketEndText({ ...ticket, state: 'GRANTED' })).toBe(
      'Your turn: you were handed a cad_tool seat from the line (lease 1 min, renewed while this page is open).',
    );
    expect(ticketEndText({ ...ticket, state: 'EXPIRED' })).toMatch(/^Your place in line for cad_tool expired/);
    expect(ticketEndText({ ...ticket, state: 'CANCELLED' })).toBe('You left the line for cad_tool.');
  });

  it('describes the line in the feed', () => {
    const base = {
      ...{ id: '1', at: at(0), tool: 'cad_tool', user: 'ada', borrowId: null, reason: null, borrowed: 1, total: 1 },
      ...{ revocationReason: null, leftBecause: null, ticketId: 't' },
    };
    expect(eventText({ ...base, type: 'QUEUED' })).toBe('ada is waiting in line for cad_tool');
    expect(eventText({ ...base, type: 'GRANTED', borrowId: 'b' })).toBe('ada was handed a cad_tool seat from the line');
    expect(eventText({ ...base, type: 'LEFT_QUEUE', leftBecause: 'cancelled' })).toBe('ada left the line for cad_tool');
    expect(denialText('QUEUE_AHEAD', 'cad_tool')).toMatch(/waiting in line for cad_tool/);
  });
});

describe('reconnect backoff', () => {
  it('doubles from half a second and stops growing at eight', () => {
    expect(backoffDelay(0)).toBeGreaterThanOrEqual(500);
    expect(backoffDelay(0)).toBeLessThan(750);
    expect(backoffDelay(3)).toBeGreaterThanOrEqual(4_000);
    expect(backoffDelay(20)).toBeLessThan(8_250);
  });
});

describe('budget form values', () => {
  it('refuses before sending what GraphQL would refuse to coerce', () => {
    expect(budgetValueProblem(null, true)).toBe('Enter a number.');
    expect(budgetValueProblem(Number.NaN, false)).toBe('Enter a number.');
    expect(budgetValueProblem(2.5, true)).toBe('Must be a whole number (2.5 is not).');
    expect(budgetValueProblem(2.5, false)).toBeNull();
    // Range rules are the server's: it answers them with InvalidBudget naming the field.
    expect(budgetValueProblem(-1, true)).toBeNull();
  });

  it("checks the default lease with the server's words; empty is none", () => {
    expect(leaseSecondsProblem(null)).toBeNull();
    expect(leaseSecondsProblem(undefined)).toBeNull();
    expect(leaseSecondsProblem(5)).toBeNull();
    expect(leaseSecondsProblem(86_400)).toBeNull();
    for (const bad of [4, 86_401, 30.5]) {
      expect(leaseSecondsProblem(bad)).toBe('A lease must be a whole number of seconds from 5 to 86400');
    }
  });
});

// The caller rules every door asks (caller-rules.ts): own seat or ticket unless admin, and
// when an action is "acted for" someone (audited).
import { describe, expect, it } from 'vitest';
import { actsFor, requireOwnSeat, requireOwnTicket, type Holders } from './caller-rules.ts';
import { ForbiddenError, OPEN_IDENTITY, type Identity } from './roles.ts';

const ann: Identity = { user: 'ann', role: 'user', via: 'token' };
const vic: Identity = { user: 'vic', role: 'viewer', via: 'session' };
const ada: Identity = { user: 'ada', role: 'admin', via: 'session' };

/** Seat b1 and ticket t1 are ann's, b2 and t2 bob's; every look-up is counted. */
function holders() {
  const asked: string[] = [];
  const seats: Record<string, string> = { b1: 'ann', b2: 'bob' };
  const tickets: Record<string, string> = { t1: 'ann', t2: 'bob' };
  const h: Holders = {
    holder: async (id) => (asked.push(id), seats[id]),
    ticketHolder: (id) => (asked.push(id), tickets[id]),
  };
  return { h, asked };
}

describe.each([
  ['seat', requireOwnSeat, 'b1', 'b2'],
  ['ticket', requireOwnTicket, 't1', 't2'],
] as const)('own %s unless admin', (_kind, rule, own, others) => {
  it("lets a user touch their own and refuses another's, naming the action", async () => {
    const { h } = holders();
    await expect(rule(ann, h, own, 'return')).resolves.toBeUndefined();
    await expect(rule(ann, h, others, 'return')).rejects.toThrow(
      new ForbiddenError('You may return only your own seats; this one is held by someone else'),
    );
  });
  it('refuses a viewer even their own name', async () => {
    const { h } = holders();
    await expect(rule({ ...vic, user: 'ann' }, h, own, 'renew')).rejects.toBeInstanceOf(ForbiddenError);
  });
  it('lets an admin and open mode touch any, without a look-up', async () => {
    const { h, asked } = holders();
    await rule(ada, h, others, 'return');
    await rule(OPEN_IDENTITY, h, others, 'return');
    expect(asked).toEqual([]);
  });
  it('leaves an unknown id to the domain (not found, not forbidden)', async () => {
    const { h } = holders();
    await expect(rule(ann, h, 'nope', 'return')).resolves.toBeUndefined();
  });
});

describe('acting for someone', () => {
  it('is an identified caller on another holder; never oneself, never open mode', () => {
    expect(actsFor(ada, 'bob')).toBe(true);
    expect(actsFor(ada, 'ada')).toBe(false);
    expect(actsFor(ann, 'ann')).toBe(false);
    expect(actsFor(OPEN_IDENTITY, 'bob')).toBe(false);
  });
});

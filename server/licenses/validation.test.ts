// The domain refuses bad input itself, whatever transport (or none) calls it: these call
// Licenses directly on a fresh seeded SQLite file, with no HTTP or GraphQL in front.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../db/database.ts';
import {
  BUDGET_LIMITS,
  InvalidBudgetError,
  InvalidInputError,
  Licenses,
  TEXT_LIMITS,
  type BudgetInput,
  type BudgetLimitField,
} from './index.ts';

let dir: string;
let db: OpenedDatabase;
let licenses: Licenses;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floatline-validation-'));
  db = await openDatabase({ dbPath: join(dir, 'licenses.db'), seed: true });
  licenses = new Licenses(db.dialect);
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The error a call rejects with (fails the test when it resolves). */
async function refusal(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail('the domain accepted it'),
    (err: unknown) => err,
  );
}

describe('borrow and return validate their own input', () => {
  it.each([
    ['an empty', '', 'string_too_short'],
    ['a blank', '   ', 'string_pattern_mismatch'],
    ['a too long', 'x'.repeat(TEXT_LIMITS.maxLength + 1), 'string_too_long'],
    ['a NUL in the', 'a\u0000b', 'string_control_character'],
  ])('refuses %s user, naming the field user, and takes no seat', async (_what, user, type) => {
    const before = (await licenses.pool('cad_tool')).borrowed;
    const err = await refusal(licenses.borrow('cad_tool', user));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect([(err as InvalidInputError).field, (err as InvalidInputError).type]).toEqual(['user', type]);
    expect((await licenses.pool('cad_tool')).borrowed).toBe(before);
  });

  it('refuses an empty tool and an empty borrow id, naming them', async () => {
    expect(await refusal(licenses.borrow('', 'ada'))).toMatchObject({ field: 'tool', type: 'string_too_short' });
    expect(await refusal(licenses.return(''))).toMatchObject({ field: 'id', type: 'string_too_short' });
  });

  it('accepts a name at the length limit', async () => {
    const user = 'é'.repeat(TEXT_LIMITS.maxLength);
    const borrow = await licenses.borrow('cad_tool', user);
    expect(borrow.user).toBe(user);
    await licenses.return(borrow.id);
  });
});

describe('budget changes validate their own bounds', () => {
  const current = async (): Promise<BudgetInput> => {
    const p = await licenses.pool('analysis');
    return {
      tool: p.tool,
      total: p.total,
      commit: p.commit,
      maxOverage: p.maxOverage,
      commitPrice: p.commitPrice,
      overagePricePerLicense: p.overagePricePerLicense,
    };
  };
  const fields = Object.keys(BUDGET_LIMITS) as BudgetLimitField[];
  const outside = fields.flatMap((field) => {
    const { min, max, integer } = BUDGET_LIMITS[field];
    return [[field, min - 1], [field, max + 1], [field, Number.NaN], ...(integer ? [[field, min + 0.5]] : [])] as [
      BudgetLimitField,
      number,
    ][];
  });

  it.each(outside)('refuses %s = %d, naming the field and its bounds, and changes nothing', async (field, value) => {
    const before = await current();
    const err = await refusal(licenses.updateBudget({ ...before, [field]: value }));
    expect(err).toBeInstanceOf(InvalidBudgetError);
    expect((err as InvalidBudgetError).field).toBe(field);
    expect((err as Error).message).toContain(`from ${BUDGET_LIMITS[field].min} to ${BUDGET_LIMITS[field].max}`);
    expect(await current()).toEqual(before);
  });

  it('refuses an empty tool as input, not as an unknown tool', async () => {
    expect(await refusal(licenses.updateBudget({ ...(await current()), tool: '' }))).toBeInstanceOf(InvalidInputError);
  });

  it('accepts every bound itself', async () => {
    const before = await current();
    const edges = (pick: 'min' | 'max') => Object.fromEntries(fields.map((f) => [f, BUDGET_LIMITS[f][pick]]));
    // total's minimum must still hold the seats borrowed now: none are, in a fresh database.
    expect(await licenses.updateBudget({ tool: 'analysis', ...edges('max') } as BudgetInput)).toMatchObject(edges('max'));
    expect(await licenses.updateBudget({ tool: 'analysis', ...edges('min') } as BudgetInput)).toMatchObject(edges('min'));
    await licenses.updateBudget(before);
  });
});

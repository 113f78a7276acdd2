// Which failures count as "the database connection was lost" (and so are retried or answered
// with 503), and how often work is retried. The errors are the shapes seen when PostgreSQL
// backends were terminated under load (see test/dependency-blips.test.ts for the real thing).
import { describe, expect, it } from 'vitest';
import {
  DatabaseUnavailableError,
  MAX_ATTEMPTS,
  isConnectionError,
  isDatabaseUnavailable,
  neverSent,
  onDatabaseRetry,
  retryOnConnectionLoss,
} from './unavailable.ts';

const prismaError = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error(`Raw query failed. Code: \`${String(cause.originalCode)}\``), {
    code,
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause } },
  });

describe('isConnectionError', () => {
  it('recognises a terminated backend, a closed socket and pg messages', () => {
    expect(isConnectionError(prismaError('P2010', { originalCode: '57P01', kind: 'postgres', code: '57P01' }))).toBe(true);
    expect(isConnectionError(prismaError('P2039', { originalCode: '57P01', kind: 'postgres', code: '57P01' }))).toBe(true);
    expect(isConnectionError(prismaError('P2010', { kind: 'ConnectionClosed' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('x'), { code: 'P1001' }))).toBe(true);
    expect(isConnectionError(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(new Error('outer', { cause: new Error('Connection terminated unexpectedly') }))).toBe(true);
  });

  it('leaves statement errors alone: they are not retried and stay what they were', () => {
    expect(isConnectionError(prismaError('P2010', { originalCode: '23505', kind: 'UniqueConstraintViolation' }))).toBe(false);
    expect(isConnectionError(prismaError('P2010', { originalCode: '23514', kind: 'postgres', code: '23514' }))).toBe(false);
    expect(isConnectionError(new Error('Tool not found'))).toBe(false);
    expect(isConnectionError(undefined)).toBe(false);
    expect(isDatabaseUnavailable(new DatabaseUnavailableError(true))).toBe(true);
  });

  it('knows when pg refused to send a statement at all', () => {
    expect(neverSent(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(neverSent(prismaError('P2010', { originalCode: '57P01', kind: 'postgres', code: '57P01' }))).toBe(false);
  });
});

describe('retryOnConnectionLoss', () => {
  it('runs work again after a lost connection and reports each retry', async () => {
    const seen: number[] = [];
    const off = onDatabaseRetry(({ attempt }) => seen.push(attempt));
    let calls = 0;
    const result = await retryOnConnectionLoss(async () => {
      calls++;
      if (calls < MAX_ATTEMPTS) throw new Error('Connection terminated unexpectedly');
      return 'done';
    });
    off();
    expect([result, calls, seen]).toEqual(['done', MAX_ATTEMPTS, [1, 2]]);
  });

  it('gives up after MAX_ATTEMPTS with DatabaseUnavailableError (outcome known: nothing happened)', async () => {
    let calls = 0;
    const failure = await retryOnConnectionLoss(async () => {
      calls++;
      throw new Error('Connection terminated unexpectedly');
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DatabaseUnavailableError);
    expect((failure as DatabaseUnavailableError).outcomeUnknown).toBe(false);
    expect(calls).toBe(MAX_ATTEMPTS);
  });

  it('never repeats other errors, nor a commit whose outcome is unknown', async () => {
    for (const err of [new Error('Tool not found'), new DatabaseUnavailableError(true)]) {
      let calls = 0;
      await expect(
        retryOnConnectionLoss(async () => {
          calls++;
          throw err;
        }),
      ).rejects.toBe(err);
      expect(calls).toBe(1);
    }
  });
});

// Heavy reads share work, run one at a time and refuse a reader once too many wait.
import { describe, expect, it } from 'vitest';
import { HeavyReads } from './heavy-reads.ts';
import { RateLimitedError } from '../auth/rate-gate.ts';

describe('HeavyReads', () => {
  it('fifteen asks of the same read cost one run; a change to its pool makes the next ask run again', async () => {
    const heavy = new HeavyReads({ concurrency: 1, queue: 4, memoMs: 60_000, memoEntries: 8 });
    let runs = 0;
    const work = async () => ++runs;
    const answers = await Promise.all(Array.from({ length: 15 }, () => heavy.run('statement:big:current', work)));
    expect(answers).toEqual(Array(15).fill(1));
    expect(await heavy.run('statement:big:current', work)).toBe(1);
    heavy.forget('cad_tool'); // another pool: still shared
    expect(await heavy.run('statement:big:current', work)).toBe(1);
    heavy.forget('big');
    expect(await heavy.run('statement:big:current', work)).toBe(2);
  });

  it('runs one at a time and refuses beyond the queue with a retry', async () => {
    const heavy = new HeavyReads({ concurrency: 1, queue: 2, memoMs: 0, memoEntries: 8 });
    let running = 0;
    let most = 0;
    let release: (() => void) | null = null;
    let started: () => void = () => {};
    const work = () =>
      new Promise<number>((resolve) => {
        running++;
        most = Math.max(most, running);
        release = () => {
          running--;
          resolve(1);
        };
        started();
      });
    const nextStart = () =>
      new Promise<void>((r) => {
        started = r;
      });
    let s = nextStart();
    const held = [heavy.run('a:x:1', work), heavy.run('a:x:2', work), heavy.run('a:x:3', work)];
    const refused = heavy.run('a:x:4', work);
    await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
    await expect(refused).rejects.toThrow(/busy computing other reports and statements/);
    for (let i = 0; i < 3; i++) {
      await s;
      s = nextStart();
      release!();
    }
    expect(await Promise.all(held)).toEqual([1, 1, 1]);
    expect(most).toBe(1);
  });
});

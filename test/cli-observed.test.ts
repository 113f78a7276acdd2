// The observed-pool rules of the command line, without a server: what `run --observed` counts
// as a free license, how `observe` backs off and what it prints, and how it follows a log.
import { appendFileSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ObservedPoolJson, ObservedSourceJson } from '../cli/api.ts';
import { backoffMs, LogFollower, snapshotLine } from '../cli/observe.ts';
import { parseObservedTarget, poolState } from '../cli/observed-wait.ts';

const target = { source: 'cad-lic', feature: 'MATLAB' };
const pool = (p: Partial<ObservedPoolJson>): ObservedPoolJson => ({
  source: 'cad-lic',
  feature: 'MATLAB',
  vendor: 'MLM',
  issued: 10,
  in_use: 0,
  reserved: 0,
  expires: null,
  holders: [],
  updated_at: '2026-12-07T10:00:00.000Z',
  stale: false,
  ...p,
});
const source = (s: Partial<ObservedSourceJson>): ObservedSourceJson => ({
  name: 'cad-lic',
  kind: 'flexnet',
  command: null,
  interval_seconds: 30,
  created_at: '2026-12-07T09:00:00.000Z',
  server_up: true,
  error: null,
  servers: [],
  daemons: [],
  last_snapshot_at: '2026-12-07T10:00:00.000Z',
  unparsed_lines: 0,
  ...s,
});

describe('run --observed <source>/<feature>', () => {
  it('splits at the first slash and checks the source name', () => {
    expect(parseObservedTarget('cad-lic/MATLAB')).toEqual(target);
    expect(parseObservedTarget('lic.1/odd/feature')).toEqual({ source: 'lic.1', feature: 'odd/feature' });
    for (const bad of ['cad-lic', '/MATLAB', 'cad-lic/', 'bad name/x', '-lic/x']) expect(() => parseObservedTarget(bad)).toThrow();
  });

  it('free is issued - in use - reserved; uncounted is always free', () => {
    expect(poolState(target, [pool({ issued: 10, in_use: 8, reserved: 1 })], undefined)).toMatchObject({ kind: 'free', free: 1 });
    expect(poolState(target, [pool({ issued: 10, in_use: 9, reserved: 1 })], undefined)).toEqual({
      kind: 'full',
      text: 'cad-lic/MATLAB is full (9 of 10 in use, 1 reserved)',
    });
    expect(poolState(target, [pool({ issued: 3, in_use: 3 })], undefined).text).toBe('cad-lic/MATLAB is full (3 of 3 in use)');
    expect(poolState(target, [pool({ issued: null, in_use: 40 })], undefined)).toMatchObject({
      kind: 'free',
      text: 'a free license (uncounted)',
    });
  });

  it('a feature under two vendors is free when either row is', () => {
    const rows = [pool({ vendor: 'A', issued: 2, in_use: 2 }), pool({ vendor: 'B', issued: 5, in_use: 3 })];
    expect(poolState(target, rows, undefined)).toMatchObject({ kind: 'free', free: 2 });
  });

  it('a stale pool is not trusted, whatever its numbers say, and the source error is named', () => {
    const down = source({ server_up: false, error: 'Cannot connect to license server system' });
    expect(poolState(target, [pool({ in_use: 0, stale: true })], down)).toEqual({
      kind: 'stale',
      text: 'cad-lic/MATLAB is stale: cad-lic is down (Cannot connect to license server system)',
    });
  });

  it('an unknown source or feature is unknown; a source without a snapshot (or down from the start) is waited for', () => {
    expect(poolState(target, [], null)).toEqual({ kind: 'unknown', text: 'no observed source named cad-lic' });
    expect(poolState(target, [pool({ feature: 'Simulink' })], source({}))).toEqual({
      kind: 'unknown',
      text: 'cad-lic has no feature MATLAB (its last snapshot lists Simulink)',
    });
    expect(poolState(target, [], source({ last_snapshot_at: null, server_up: null })).kind).toBe('no-snapshot');
    expect(poolState(target, [], source({ server_up: false, error: 'down' })).kind).toBe('stale');
  });
});

describe('floatline observe', () => {
  it('backs off from the interval, doubling, up to 5 minutes (or the interval when longer)', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(30_000, n))).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    expect(backoffMs(600_000, 3)).toBe(600_000);
  });

  it('prints one key=value line per push', () => {
    expect(
      snapshotLine({
        source: 'cad-lic',
        taken_at: '2026-12-07T10:00:00.000Z',
        server_up: true,
        features: 4,
        in_use: 23,
        unparsed_lines: 0,
        events: 2,
      }),
    ).toBe('taken_at=2026-12-07T10:00:00.000Z server_up=true features=4 in_use=23 unparsed_lines=0');
  });

  it('follows a log from its end, whole lines only, and from the start again after rotation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floatline-log-'));
    const file = join(dir, 'lmgrd.log');
    writeFileSync(file, '10:00:00 (MLM) OUT: "MATLAB" old@ws1\n');
    const f = new LogFollower(file, 1_000);
    await f.start();
    expect(await f.next()).toBeNull(); // what was there before is not pushed

    appendFileSync(file, '10:01:00 (MLM) OUT: "MATLAB" jdoe@ws1\n10:01:05 (MLM) IN: "MA');
    const first = await f.next();
    expect(first).toMatchObject({ text: '10:01:00 (MLM) OUT: "MATLAB" jdoe@ws1\n', lines: 1, more: true });
    expect((await f.next())?.text).toBe(first!.text); // not pushed yet: offered again
    f.advance(first!);
    expect(await f.next()).toBeNull(); // half a line waits for its end

    appendFileSync(file, 'TLAB" jdoe@ws1\n');
    const second = await f.next();
    expect(second).toMatchObject({ text: '10:01:05 (MLM) IN: "MATLAB" jdoe@ws1\n', lines: 1, more: false });
    f.advance(second!);

    renameSync(file, `${file}.1`);
    writeFileSync(file, '10:02:00 (MLM) DENIED: "MATLAB" bob@ws5 (Licensed number of users already reached. (-4,342))\n');
    expect((await f.next())?.text).toContain('DENIED');
  });

  it('pushes at most maxBytes at a time, cut at a line end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floatline-log-'));
    const file = join(dir, 'lmgrd.log');
    writeFileSync(file, '');
    const f = new LogFollower(file, 25);
    await f.start();
    appendFileSync(file, 'line one is here\nline two is here\nline three\n');
    const a = await f.next();
    expect(a).toMatchObject({ text: 'line one is here\n', lines: 1, more: true });
    f.advance(a!);
    const b = await f.next();
    expect(b).toMatchObject({ text: 'line two is here\n', more: true });
  });
});

// The poller runs a source's command (a fake `lmutil` script here) without a shell, with a
// timeout and an output cap, one run at a time across pollers sharing the database; a
// command that fails marks the source down and its pools stale. /metrics shows the gauges.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from './helpers/in-process.ts';
import { postJson } from './helpers/server.ts';
import { startPoller } from '../server/observed/poller.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/observed/${name}`, import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'floatline-lmutil-'));
const output = join(dir, 'output.txt');
const runs = join(dir, 'runs.txt');
const lmutil = join(dir, 'lmutil');
// Prints whatever output.txt holds, records each run, and exits 1 when it says the server is
// down (as lmutil does). A run lasts a moment so that two pollers would overlap.
writeFileSync(
  lmutil,
  `#!/bin/sh\necho "$@" >> '${runs}'\nsleep 0.3\ncat '${output}'\ngrep -q "Error getting status" '${output}' && exit 1\nexit 0\n`,
);
chmodSync(lmutil, 0o755);

let s: InProcessServer;
beforeAll(async () => {
  s = await startInProcess({ timers: false });
}, 30_000);
afterAll(async () => {
  await s?.stop();
});

const source = (name: string) => s.floatline.observed.source(name);
const register = async (name: string, command: string) => {
  const r = await postJson(`${s.url}/observed/sources`, { name, kind: 'flexnet', command, interval_seconds: 5 });
  expect(r.status, r.text).toBe(201);
};

describe('polling observed sources', () => {
  it('runs the command without a shell and applies its output; two pollers run it once', async () => {
    writeFileSync(output, fixture('lmstat-v11.txt'));
    // A shell would expand $HOME and split on the quote; argv keeps them as written.
    await register('polled', `${lmutil} lmstat -a -c "27000@lic1 $HOME"`);
    const a = startPoller(s.floatline.observed, { tickMs: 60_000 });
    const b = startPoller(s.floatline.observed, { tickMs: 60_000 });
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.stop(), b.stop()]);
    expect(readFileSync(runs, 'utf8')).toBe('lmstat -a -c 27000@lic1 $HOME\n');
    const src = await source('polled');
    expect(src.serverUp).toBe(true);
    const pools = await s.floatline.observed.pools(50, 'polled');
    expect(pools.find((p) => p.feature === 'MATLAB')).toMatchObject({ issued: 10, inUse: 6, stale: false });
    // Not due again before its interval.
    const c = startPoller(s.floatline.observed, { tickMs: 60_000 });
    await c.tick();
    await c.stop();
    expect(readFileSync(runs, 'utf8').split('\n').filter(Boolean).length).toBe(1);
  });

  it('parses what lmutil prints when it exits non-zero (server down): source down, pools stale', async () => {
    writeFileSync(output, fixture('lmstat-down.txt'));
    await s.floatline.database.prisma.observedSource.update({ where: { name: 'polled' }, data: { lastSnapshotAt: new Date(0) } });
    const p = startPoller(s.floatline.observed, { tickMs: 60_000 });
    await p.tick();
    await p.stop();
    const src = await source('polled');
    expect(src.serverUp).toBe(false);
    expect(src.error).toContain('Cannot connect to license server system');
    expect((await s.floatline.observed.pools(50, 'polled')).every((x) => x.stale)).toBe(true);
  });

  it('marks the source down with the reason when the command is missing, too slow or too talkative', async () => {
    await register('missing', '/nonexistent/lmutil lmstat -a');
    const slow = join(dir, 'slow');
    writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(slow, 0o755);
    await register('slow', slow);
    const loud = join(dir, 'loud');
    writeFileSync(loud, '#!/bin/sh\nhead -c 300000 /dev/zero | tr "\\\\0" x\n');
    chmodSync(loud, 0o755);
    await register('loud', loud);
    const p = startPoller(s.floatline.observed, { tickMs: 60_000, timeoutMs: 1000, maxOutputBytes: 100_000 });
    await p.tick();
    await p.stop();
    expect((await source('missing')).error).toBe('/nonexistent/lmutil: command not found');
    expect((await source('slow')).error).toBe('the command did not finish within 1 s');
    expect((await source('loud')).error).toBe('the command printed more than 100000 bytes');
    for (const n of ['missing', 'slow', 'loud']) expect((await source(n)).serverUp).toBe(false);
  });

  it('exports license_observed_issued, _in_use and _source_up on /metrics', async () => {
    const push = await s.fetch('/observed/sources/missing/snapshot', { method: 'POST', body: fixture('lmstat-v9.txt') });
    expect(push.status).toBe(200);
    const text = await (await s.fetch('/metrics')).text();
    expect(text).toContain('license_observed_issued{source="missing",feature="ansys",vendor="ansyslmd"} 3');
    expect(text).toContain('license_observed_in_use{source="missing",feature="ansys",vendor="ansyslmd"} 1');
    expect(text).toContain('license_observed_in_use{source="polled",feature="MATLAB",vendor="MLM"} 6');
    expect(text).not.toMatch(/license_observed_issued\{source="polled",feature="MATLAB_Home"/); // uncounted
    expect(text).toContain('license_observed_source_up{source="missing"} 1');
    expect(text).toContain('license_observed_source_up{source="polled"} 0');
  });
});

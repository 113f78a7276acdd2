// The lmstat, rlmstat and lmgrd debug-log parsers on outputs written after the vendors'
// documented formats (test/fixtures/observed/): what a user would read off each output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLmstat, splitNames } from '../server/observed/flexnet.ts';
import { parseRlmstat } from '../server/observed/rlm.ts';
import { parseDebugLog } from '../server/observed/debug-log.ts';
import { parseStatus } from '../server/observed/parse.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/observed/${name}`, import.meta.url), 'utf8');
const now = new Date('2026-12-07T10:15:30Z');
const feature = (parsed: ReturnType<typeof parseLmstat>, name: string) => {
  const f = parsed.features.find((x) => x.feature === name);
  if (!f) throw new Error(`no feature ${name} in ${parsed.features.map((x) => x.feature).join(', ')}`);
  return f;
};

describe('lmstat -a (FlexNet)', () => {
  it('reads a version 9 output: server, daemon, singular totals, a holder, no expiry', () => {
    const p = parseLmstat(fixture('lmstat-v9.txt'), { now });
    expect(p.serverUp).toBe(true);
    expect(p.servers).toEqual([{ host: 'lic9', up: true, master: true, version: '9.2', error: null }]);
    expect(p.daemons).toEqual([{ name: 'ansyslmd', up: true, version: '9.2', error: null }]);
    expect(feature(p, 'ansys')).toMatchObject({ vendor: 'ansyslmd', issued: 3, inUse: 1, expires: null });
    expect(feature(p, 'ansys').holders).toEqual([
      {
        user: 'kwong',
        host: 'cluster07',
        display: '/dev/tty',
        startedAt: '2026-12-07T08:02:00.000Z',
        licenses: 1,
        lingerSeconds: null,
        borrowed: false,
      },
    ]);
    expect(feature(p, 'struct')).toMatchObject({ issued: 1, inUse: 0, holders: [] });
    expect(p.unparsedLines).toBe(0);
  });

  it('reads an 11.19 output: expiry, multi-seat holders, linger, borrowed, PIDs, names with spaces and odd bytes, queues, reservations, uncounted', () => {
    const p = parseLmstat(fixture('lmstat-v11.txt'), { now });
    const matlab = feature(p, 'MATLAB');
    // The totals line is the truth (6), even though the holders listed add up to 6 differently.
    expect(matlab).toMatchObject({ vendor: 'MLM', issued: 10, inUse: 6, expires: '2027-12-31', queued: 1 });
    expect(matlab.holders.map((h) => [h.user, h.host, h.display, h.licenses])).toEqual([
      ['jdoe', 'ws1', '/dev/pts/1', 1],
      ['John Smith', 'DESKTOP-7', 'DESKTOP-7', 2],
      ['asmith', 'ws22', 'ws22:0.0', 1],
      ['ren\uFFFD', 'laptop-3', 'laptop-3', 1],
      ['travel', 'hp-x', 'hp-x', 1],
    ]);
    expect(matlab.holders[2]).toMatchObject({ lingerSeconds: 3600, borrowed: false, startedAt: '2026-12-06T23:40:00.000Z' });
    expect(matlab.holders[3]!.startedAt).toBe('2026-12-07T07:12:00.000Z'); // the PID after the start time is not part of it
    expect(matlab.holders[4]).toMatchObject({ borrowed: true, lingerSeconds: 1209600 });
    expect(feature(p, 'Simulink')).toMatchObject({ issued: 1, inUse: 1, reserved: 1, expires: 'permanent' });
    expect(feature(p, 'Simulink').reservations).toEqual([{ count: 1, type: 'GROUP', name: 'controls' }]);
    const pct = feature(p, 'Parallel_Computing_Toolbox');
    expect(pct).toMatchObject({ issued: 40, inUse: 16, reserved: 3, expires: 'permanent' });
    expect(pct.reservations).toEqual([
      { count: 2, type: 'USER', name: 'jdoe' },
      { count: 1, type: 'HOST', name: 'ws22' },
    ]);
    expect(pct.holders[0]).toMatchObject({ user: 'hpcjob', licenses: 16 });
    expect(feature(p, 'MATLAB_Home')).toMatchObject({ issued: null, inUse: 0 });
    expect(p.unparsedLines).toBe(0);
  });

  it('reads a triad with one server down, with CRLF line ends', () => {
    const p = parseLmstat(fixture('lmstat-triad-crlf.txt'), { now });
    expect(p.serverUp).toBe(true);
    expect(p.servers.map((s) => [s.host, s.up, s.master])).toEqual([
      ['licA', true, true],
      ['licB', true, false],
      ['licC', false, false],
    ]);
    expect(p.servers[2]!.error).toContain('Cannot connect to license server system');
    expect(feature(p, 'Virtuoso_Schematic_Editor_XL')).toMatchObject({ vendor: 'cdslmd', issued: 20, inUse: 2, expires: '2027-06-30' });
    expect(feature(p, 'Virtuoso_Schematic_Editor_XL').holders.map((h) => h.display)).toEqual(['ic-ws3:1', 'ic-ws9:2']);
    expect(p.unparsedLines).toBe(0);
  });

  it('reports a vendor daemon that is down while its license server is up', () => {
    const p = parseLmstat(fixture('lmstat-daemon-down.txt'), { now });
    expect(p.serverUp).toBe(true);
    expect(p.daemons).toEqual([{ name: 'snpslmd', up: false, version: null, error: 'The desired vendor daemon is down. (-97,121)' }]);
    expect(p.features).toEqual([]);
  });

  it('reports a server that cannot be reached, with its error text', () => {
    const p = parseLmstat(fixture('lmstat-down.txt'), { now });
    expect(p.serverUp).toBe(false);
    expect(p.error).toBe('Cannot connect to license server system. (-15,10:146 "Connection refused")');
    expect(p.features).toEqual([]);
  });

  it('takes feature expiry from lmstat -i printed after lmstat -a', () => {
    const p = parseLmstat(`${fixture('lmstat-v9.txt')}\n${fixture('lmstat-i.txt')}`, { now });
    expect(feature(p, 'ansys').expires).toBe('2027-09-30');
    expect(feature(p, 'struct').expires).toBe('permanent');
    expect(p.unparsedLines).toBe(0);
  });

  it('counts lines it does not know, keeps a few, and goes on', () => {
    const text = fixture('lmstat-v9.txt').replace('Feature usage info:', 'Feature usage info:\nsomething new in 12.0\nand more');
    const p = parseLmstat(text, { now });
    expect(p.unparsedLines).toBe(2);
    expect(p.unparsedSamples).toEqual(['something new in 12.0', 'and more']);
    expect(feature(p, 'ansys').inUse).toBe(1);
  });

  it('resolves a start time without a year to the latest one not after the output', () => {
    const p = parseLmstat(
      fixture('lmstat-v9.txt').replace('start Mon 12/7 8:02', 'start Wed 12/31 22:00').replace('Mon 12/7/2026 10:15', 'Sat 1/2/2027 10:15'),
      { now: new Date('2027-01-02T10:15:00Z') },
    );
    expect(feature(p, 'ansys').holders[0]!.startedAt).toBe('2026-12-31T22:00:00.000Z');
  });

  it('takes the license server zone from its header (the output says 11:15 when it is 10:15 UTC)', () => {
    const p = parseLmstat(fixture('lmstat-v9.txt').replace('Mon 12/7/2026 10:15', 'Mon 12/7/2026 11:15'), { now });
    expect(feature(p, 'ansys').holders[0]!.startedAt).toBe('2026-12-07T07:02:00.000Z');
  });

  it('splits user, host and display names that hold spaces', () => {
    expect(splitNames('jdoe ws1 /dev/pts/1')).toEqual({ user: 'jdoe', host: 'ws1', display: '/dev/pts/1' });
    expect(splitNames('Mary Ann Lee PC-12 PC-12')).toEqual({ user: 'Mary Ann Lee', host: 'PC-12', display: 'PC-12' });
    expect(splitNames('svc build-3 build-3:0.0')).toEqual({ user: 'svc', host: 'build-3', display: 'build-3:0.0' });
  });
});

describe('rlmstat -a (RLM)', () => {
  it('reads pools (license lines of one feature add up), uncounted features, ISV servers and holders', () => {
    const p = parseRlmstat(fixture('rlmstat.txt'), { now });
    expect(p.serverUp).toBe(true);
    expect(p.servers).toEqual([{ host: 'rlm1', up: true, master: false, version: '15.1', error: null }]);
    expect(p.daemons.map((d) => [d.name, d.up])).toEqual([
      ['foundry', true],
      ['sidefx', false],
    ]);
    const nuke = p.features.find((f) => f.feature === 'nuke_r')!;
    expect(nuke).toMatchObject({ vendor: 'foundry', issued: 12, inUse: 3, reserved: 1, expires: '2027-12-31' });
    expect(nuke.holders).toEqual([
      { user: 'jdoe', host: 'ws1', display: '', startedAt: '2026-12-07T09:15:00.000Z', licenses: 1, lingerSeconds: null, borrowed: false },
      {
        user: 'Anna Berg',
        host: 'comp-7',
        display: '',
        startedAt: '2026-12-06T18:02:00.000Z',
        licenses: 2,
        lingerSeconds: null,
        borrowed: false,
      },
    ]);
    expect(p.features.find((f) => f.feature === 'nuke_i')).toMatchObject({ issued: null, inUse: 0 });
    expect(p.unparsedLines).toBe(0);
  });

  it('reports an rlm server that cannot be reached', () => {
    const p = parseStatus('rlm', fixture('rlmstat-down.txt'), { now });
    expect(p.serverUp).toBe(false);
    expect(p.error).toBe('Error connecting to "rlm" server');
    expect(p.unparsedLines).toBe(0);
  });
});

describe('lmgrd debug log', () => {
  it('reads OUT, IN, DENIED and UNSUPPORTED lines as exact events, dated by the TIMESTAMP lines', () => {
    const p = parseDebugLog(fixture('lmgrd-debug.log'), { now });
    expect(p.events.map((e) => [e.kind, e.at, e.feature, e.user, e.host, e.licenses, e.reason])).toEqual([
      ['out', '2026-12-07T09:58:02.000Z', 'MATLAB', 'jdoe', 'ws1', 1, null],
      ['out', '2026-12-07T10:01:15.000Z', 'MATLAB', 'John Smith', 'DESKTOP-7', 2, null],
      ['denied', '2026-12-07T10:05:40.000Z', 'MATLAB', 'kwong', 'ws9', 1, 'Licensed number of users already reached. (-4,342)'],
      [
        'unsupported',
        '2026-12-07T10:06:00.000Z',
        'Curve_Fitting_Toolbox',
        'kwong',
        'ws9',
        1,
        'License server system does not support this feature. (-18,327)',
      ],
      ['in', '2026-12-07T10:20:31.000Z', 'MATLAB', 'jdoe', 'ws1', 1, null],
      ['in', '2026-12-07T10:21:00.000Z', 'MATLAB', 'asmith', 'ws22', 1, 'INACTIVE'],
    ]);
    expect(p.unparsedLines).toBe(1);
  });

  it('moves to the next day when the time runs backwards past midnight', () => {
    const p = parseDebugLog('23:59:00 (MLM) TIMESTAMP 12/6/2026\n23:59:30 (MLM) OUT: "MATLAB" a@h\n 0:00:10 (MLM) IN: "MATLAB" a@h\n', {
      now,
    });
    expect(p.events.map((e) => e.at)).toEqual(['2026-12-06T23:59:30.000Z', '2026-12-07T00:00:10.000Z']);
  });
});

// The command line's own rules, without a server: durations, error text, and what every
// command's --help and every usage error print and exit with.
import { describe, expect, it } from 'vitest';
import { detailText } from '../cli/client.ts';
import { DurationError, formatDuration, parseDuration, parseLeaseSeconds } from '../cli/duration.ts';
import { table } from '../cli/output.ts';
import { buildCli, runCli } from './helpers/cli.ts';

describe('durations', () => {
  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['1.5s', 1_500],
    ['500ms', 500],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    [' 30S ', 30_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '10x', '-5s', '1h 30m', 's', '10m5', 'forever'])('"%s" is refused', (text) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
  });

  it('forever (or inf) only where a wait may be endless', () => {
    expect(parseDuration('forever', { allowForever: true })).toBe(Number.POSITIVE_INFINITY);
    expect(parseDuration('inf', { allowForever: true })).toBe(Number.POSITIVE_INFINITY);
    expect(() => parseDuration('forever')).toThrow(/not a duration/);
  });

  it('a lease is a whole number of seconds', () => {
    expect(parseLeaseSeconds('60')).toBe(60);
    expect(parseLeaseSeconds('5m')).toBe(300);
    expect(() => parseLeaseSeconds('1.5s')).toThrow(/whole number of seconds/);
    expect(() => parseLeaseSeconds('500ms')).toThrow(/whole number of seconds/);
  });

  it('formats for messages', () => {
    expect(formatDuration(2_000)).toBe('2s');
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(61_000)).toBe('1m 1s');
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('forever');
  });
});

describe('server error text', () => {
  it('is the detail string, or each field and message of a 422 list, on one line', () => {
    expect(detailText(409, { detail: 'No licenses available for cad_tool' })).toBe('No licenses available for cad_tool');
    expect(
      detailText(422, {
        detail: [
          { loc: ['body', 'lease_seconds'], msg: 'must be >= 5', type: 'greater_than_equal' },
          { loc: ['body', 'user'], msg: 'Field required', type: 'missing' },
        ],
      }),
    ).toBe('lease_seconds: must be >= 5; user: Field required');
    expect(detailText(502, '<html>\nBad gateway</html>')).toBe('HTTP 502: <html> Bad gateway</html>');
    expect(detailText(500, undefined)).toBe('HTTP 500');
  });

  it('tables pad text left and numbers right', () => {
    expect(
      table(
        ['TOOL', 'TOTAL'],
        [
          ['cad_tool', 5],
          ['x', 12],
        ],
      ),
    ).toBe('TOOL      TOTAL\ncad_tool      5\nx            12\n');
  });
});

describe('usage', () => {
  const COMMANDS = ['run', 'status', 'borrow', 'return', 'heartbeat', 'borrows', 'queue', 'release', 'observe'];

  it('floatline --help lists every command and the environment; exit 0', async () => {
    buildCli();
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: floatline \[options\] \[command\]/);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    for (const v of ['FLOATLINE_URL', 'FLOATLINE_USER', 'FLOATLINE_TOKEN']) expect(r.stdout).toContain(v);
  });

  it.each(COMMANDS)('floatline %s --help explains the command; exit 0', async (command) => {
    const r = await runCli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^Usage: floatline ${command} `));
    expect(r.stdout).toContain('--server <url>'); // the global options are listed too
  });

  it('floatline run --help documents the exit codes', async () => {
    const r = await runCli(['run', '--help']);
    for (const code of ['75', '76', '69', '78', '143']) expect(r.stdout).toContain(code);
    expect(r.stdout).toContain('--on-lost <action>');
  });

  it.each([
    [['run', 'cad_tool', '--bogus', '--', 'true'], /^error: unknown option '--bogus'\n\(the command goes after "--"/],
    [['run', 'cad_tool', 'ls', '-l'], /^error: unknown option '-l'\n/],
    [['run'], /^error: missing required argument 'tool'/],
    [['run', 'cad_tool'], /^error: missing required argument 'command'/],
    [
      ['run', 'cad_tool', '--lease', 'soon', '--', 'true'],
      /^error: option '--lease <duration>' argument 'soon' is invalid\. "soon" is not a duration/,
    ],
    [['run', 'cad_tool', '--lease', '2.5s', '--', 'true'], /whole number of seconds/],
    [['run', 'cad_tool', '--wait', 'a-while', '--', 'true'], /argument 'a-while' is invalid/],
    [['run', 'cad_tool', '--on-lost', 'ignore', '--', 'true'], /Allowed choices are kill, warn/],
    [['status', '--server', 'not a url'], /"not a url" is not a URL/],
    [['borrows', '--limit', '0'], /"0" is not a whole number of at least 1/],
    [['borrow'], /missing required argument 'tool'/],
    [['return'], /missing required argument 'id'/],
    [['heartbeat'], /missing required argument 'id'/],
    [['queue'], /missing required argument 'tool'/],
    [['release', 'b1'], /required option '--reason <text>' not specified/],
    [['run', '--observed', 'cad-lic', '--', 'true'], /"cad-lic" is not <source>\/<feature> \(example: cad-lic\/MATLAB\)/],
    [['run', '--observed', 'bad name/MATLAB', '--', 'true'], /"bad name" is not a source name/],
    [['run', '--observed', 'cad-lic/MATLAB'], /^error: missing required argument 'command'/],
    [['run', 'cad_tool', '--observed', 'cad-lic/MATLAB', '--', 'true'], /^error: --observed borrows no tool: drop "cad_tool"/],
    [['observe'], /^error: missing required argument 'source'/],
    [['observe', 'cad-lic'], /^error: missing required argument 'command'/],
    [['observe', 'cad-lic', '--every', '1s', '--', 'lmutil'], /the interval is 5s to 24h, not 1s/],
    [['observe', 'cad-lic', '--every', 'often', '--', 'lmutil'], /"often" is not a duration/],
    [['observe', 'cad-lic', '--timeout', 'never', '--', 'lmutil'], /"never" is not a duration/],
    [['observe', '../etc', '--', 'lmutil'], /"\.\.\/etc" is not a source name/],
    [['frobnicate'], /^error: unknown command 'frobnicate'/],
    [[], /^Usage: floatline/],
  ])('floatline %j: a clear message on stderr and exit 2', async (args, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('a bad FLOATLINE_URL is a usage error too', async () => {
    const r = await runCli(['status'], { FLOATLINE_URL: 'ftp://licenses' });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('"ftp://licenses" is not an http(s) URL');
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });
});

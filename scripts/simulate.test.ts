// The simulator's options and safety checks (its traffic is exercised against a real
// server by test/prometheus.test.ts).
import { describe, expect, it } from 'vitest';
import { DEFAULTS, formatSummary, isLoopback, parseOptions, simulate } from './simulate.ts';

describe('simulate options', () => {
  it('defaults to a bounded run against localhost:8000', () => {
    const o = parseOptions([]);
    expect(o).toMatchObject({ url: 'http://localhost:8000', durationS: DEFAULTS.durationS, users: DEFAULTS.users, allowRemote: false });
  });

  it('reads every option', () => {
    const o = parseOptions([
      '--url',
      'http://127.0.0.1:9',
      '--duration',
      '30',
      '--users',
      '4',
      '--rate',
      '2.5',
      '--max-requests',
      '100',
      '--hold',
      '1-3',
      '--think',
      '0.5',
      '--viewers',
      '0',
      '--quiet',
      '--allow-remote',
    ]);
    expect(o).toEqual({
      url: 'http://127.0.0.1:9',
      durationS: 30,
      users: 4,
      rate: 2.5,
      maxRequests: 100,
      holdMinS: 1,
      holdMaxS: 3,
      thinkS: 0.5,
      viewers: 0,
      progress: false,
      allowRemote: true,
    });
    expect(parseOptions(['--help'])).toBe('help');
  });

  it('refuses unbounded or nonsensical values', () => {
    expect(() => parseOptions(['--duration', '0'])).toThrow(/--duration/);
    expect(() => parseOptions(['--duration', '86400'])).toThrow(/--duration/);
    expect(() => parseOptions(['--users', 'many'])).toThrow(/--users/);
    expect(() => parseOptions(['--hold', '9-3'])).toThrow(/--hold/);
    expect(() => parseOptions(['--url', 'not a url'])).toThrow(/--url/);
  });

  it('talks only to this machine unless told otherwise', async () => {
    for (const u of ['http://localhost:8000', 'http://127.0.0.1:1', 'http://[::1]:8000']) expect(isLoopback(new URL(u))).toBe(true);
    for (const u of ['http://example.com', 'http://10.0.0.1:8000', 'http://floatline.fly.dev']) expect(isLoopback(new URL(u))).toBe(false);
    await expect(simulate({ ...DEFAULTS, url: 'http://example.com', durationS: 1 })).rejects.toThrow(/allow-remote/);
  });

  it('says clearly when nothing answers', async () => {
    await expect(simulate({ ...DEFAULTS, url: 'http://127.0.0.1:9', durationS: 1, progress: false })).rejects.toThrow(
      /is Floatline running/,
    );
  });

  it('prints a summary', () => {
    const text = formatSummary({
      requests: 10,
      borrowed: 4,
      returned: 4,
      overage: 1,
      denied: { exhausted: 3 },
      errors: 0,
      peakHeld: { cad_tool: 5 },
      frontendErrors: 0,
      graphqlCalls: 2,
      liveUpdates: 8,
      seconds: 1.5,
    });
    expect(text).toContain('exhausted 3');
    expect(text).toContain('cad_tool 5');
  });
});

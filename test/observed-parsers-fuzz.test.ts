// The parsers take whatever a license server, a wrong command or a broken pipe prints:
// random bytes, real outputs cut anywhere, lines shuffled and repeated. They must never
// throw and always return counts a caller can store.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLmstat } from '../server/observed/flexnet.ts';
import { parseRlmstat } from '../server/observed/rlm.ts';
import { parseDebugLog } from '../server/observed/debug-log.ts';

const dir = new URL('./fixtures/observed/', import.meta.url);
const fixtures = readdirSync(dir).map((f) => readFileSync(new URL(f, dir), 'utf8'));
const now = new Date('2026-12-07T10:15:30Z');

/** A small seeded generator, so a failure can be replayed from the seed in its message. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = ' \t\r\n:;,.()/@"-_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\u0000\uFFFD\u00e9\u202e';
const PIECES = [
  'Users of ',
  'Total of ',
  ' licenses issued;',
  ' license in use)',
  'start Mon ',
  '12/7 9:58',
  ', 16 licenses',
  '(linger: ',
  'RESERVATIONs for ',
  'license server UP (MASTER) v',
  'Vendor daemon status (on ',
  'count: ',
  'inuse: ',
  'exp: ',
  ' license pool status on ',
  ' license usage status on ',
  'OUT: "',
  '@',
  'TIMESTAMP 99/99/9999',
  '(v',
  ') (',
  '\r\n',
  '\n',
];

function check(text: string, seed: number) {
  for (const parse of [parseLmstat, parseRlmstat]) {
    let p: ReturnType<typeof parseLmstat> | undefined;
    expect(() => {
      p = parse(text, { now });
    }, `seed ${seed}`).not.toThrow();
    expect(Number.isInteger(p!.unparsedLines) && p!.unparsedLines >= 0).toBe(true);
    for (const f of p!.features) {
      expect(Number.isFinite(f.inUse), `seed ${seed}`).toBe(true);
      expect(f.issued === null || Number.isFinite(f.issued)).toBe(true);
      for (const h of f.holders) expect(h.startedAt === null || !Number.isNaN(Date.parse(h.startedAt))).toBe(true);
    }
  }
  expect(() => parseDebugLog(text, { now }), `seed ${seed}`).not.toThrow();
}

describe('parsers under random and truncated input', () => {
  it('never throw on random text', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      let text = '';
      const length = Math.floor(r() * 3000);
      while (text.length < length) {
        text += r() < 0.3 ? PIECES[Math.floor(r() * PIECES.length)] : ALPHABET[Math.floor(r() * ALPHABET.length)];
      }
      check(text, seed);
    }
  });

  it('never throw on real outputs cut at any point, or with lines shuffled and repeated', () => {
    let seed = 0;
    for (const text of fixtures) {
      for (let cut = 0; cut <= text.length; cut += 7) check(text.slice(0, cut), seed++);
      const r = rng(seed);
      const lines = text.split('\n');
      for (let round = 0; round < 30; round++) {
        const mixed = Array.from({ length: lines.length * 2 }, () => lines[Math.floor(r() * lines.length)]).join(r() < 0.5 ? '\n' : '\r\n');
        check(mixed, seed++);
      }
    }
  });

  it('never throw on a very long line', () => {
    check(
      `Users of ${'x'.repeat(100_000)}:  (Total of 1 license issued;  Total of 1 license in use)\n    ${'a '.repeat(50_000)}(v1) (h/1 2), start Mon 12/7 9:58`,
      -1,
    );
  });
});

// The domain's text rule, case by case (test/data-bounds.test.ts checks it end to end).
import { describe, expect, it } from 'vitest';
import { checkFilterText, checkText, printableText, textProblem } from './text.ts';
import { InvalidInputError } from './errors.ts';

describe('textProblem', () => {
  it.each([
    ['alice'],
    ['Zoë Ødegård'],
    ['山田太郎'],
    ['emoji 🎉 ok'],
    ['x'.repeat(200)],
    ['🎉'.repeat(200)],
    ['  padded  '],
    ["<img src=x>'); DROP TABLE borrows;--"],
  ])('accepts %j', (value) => expect(textProblem(value)).toBeNull());

  it.each([
    ['', 'string_too_short'],
    ['x'.repeat(201), 'string_too_long'],
    ['🎉'.repeat(201), 'string_too_long'],
    ['   ', 'string_pattern_mismatch'],
    ['a\u0000b', 'string_control_character'],
    ['tab\there', 'string_control_character'],
    ['line\nbreak', 'string_control_character'],
    ['esc\u001b[31m', 'string_control_character'],
    ['del\u007f', 'string_control_character'],
    ['c1\u0085', 'string_control_character'],
    ['c1\u009f', 'string_control_character'],
    ['sep\u2028', 'string_control_character'],
    ['rtl\u202eevil', 'string_control_character'],
    ['iso\u2066x', 'string_control_character'],
    ['lone \ud800 high', 'string_invalid_unicode'],
    ['lone \udc00 low', 'string_invalid_unicode'],
    ['end \ud83c', 'string_invalid_unicode'],
    ['bad\ufffdutf8', 'string_invalid_unicode'],
    ['non\ufdd0char', 'string_invalid_unicode'],
    ['non\uffffchar', 'string_invalid_unicode'],
    ['non\u{1fffe}char', 'string_invalid_unicode'],
  ])('refuses %j as %s', (value, type) => expect(textProblem(value)?.type).toBe(type));

  it('says where the character is', () => {
    expect(textProblem('ab\u0000')?.msg).toBe('String should not contain control characters (U+0000 at character 3)');
    expect(textProblem('🎉\ud800')?.msg).toBe('String should be valid Unicode text (a lone surrogate at character 2)');
  });
});

describe('checkText and checkFilterText', () => {
  it('throws one error type naming the field', () => {
    const err = (() => {
      try {
        checkText('user', 'a\u0000');
      } catch (e) {
        return e;
      }
    })() as InvalidInputError;
    expect(err).toBeInstanceOf(InvalidInputError);
    expect([err.field, err.type]).toEqual(['user', 'string_control_character']);
  });
  it('lets filters be empty or absent but not hold impossible characters', () => {
    expect(() => checkFilterText('user', undefined)).not.toThrow();
    expect(() => checkFilterText('user', '')).not.toThrow();
    expect(() => checkFilterText('tool', 'x\ud800')).toThrow(InvalidInputError);
  });
});

describe('printableText', () => {
  it('keeps newlines and tabs, spells out other controls, mends invalid Unicode', () => {
    expect(printableText('Error: x\n    at f (a.js:1:2)\tz')).toBe('Error: x\n    at f (a.js:1:2)\tz');
    expect(printableText('a\u0000b\u001b[2Jc\u202e')).toBe('a\\u{0}b\\u{1b}[2Jc\\u{202e}');
    expect(printableText('x\ud800y\udc00🎉')).toBe('x\ufffdy\ufffd🎉');
  });
});

// The one rule for text the license domain accepts (tool names, user names, borrow ids).
// It lives here, not in a transport or a store, so REST, GraphQL, SQLite and PostgreSQL
// all refuse the same strings with the same words: before it, a NUL byte was a 500 on
// PostgreSQL ("invalid byte sequence") but stored on SQLite, and a lone surrogate was
// written to SQLite as invalid UTF-8 that no client could read back.
//
// Refused, with a FastAPI-style `type` a client can switch on:
// - empty or whitespace-only, longer than TEXT_LIMITS.maxLength characters (limits.ts);
// - control characters: C0 (incl. NUL, tab, newline), DEL and C1, the Unicode line and
//   paragraph separators, and the bidirectional embedding/override/isolate controls
//   (they make a name display as something else in logs and dashboards);
// - text that is not valid Unicode: lone surrogates (not well-formed UTF-16), noncharacters
//   (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF) and U+FFFD, which is what Node turns invalid UTF-8
//   bytes of a request body into: accepting it would store a name the client never sent.
import { InvalidInputError } from './errors.ts';
import { TEXT_LIMITS } from './limits.ts';

export type TextProblemType =
  | 'string_too_short'
  | 'string_too_long'
  | 'string_pattern_mismatch'
  | 'string_control_character'
  | 'string_invalid_unicode';

export interface TextProblem {
  type: TextProblemType;
  msg: string;
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

function isControl(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069)
  );
}

function isInvalidUnicode(cp: number): boolean {
  return (
    (cp >= 0xd800 && cp <= 0xdfff) || // only reached for a lone surrogate
    (cp >= 0xfdd0 && cp <= 0xfdef) ||
    (cp & 0xfffe) === 0xfffe ||
    cp === 0xfffd
  );
}

/**
 * Problems of characters alone (no length rules): what a lookup by name refuses too,
 * since no stored name can contain them.
 */
export function characterProblem(value: string): TextProblem | null {
  // Fast path: printable ASCII is the common case and needs no per-character walk.
  if (/^[\x20-\x7e]*$/.test(value)) return null;
  let position = 0;
  for (const ch of value) {
    // iterates code points; a lone surrogate comes out alone
    position++;
    const cp = ch.codePointAt(0)!;
    if (isControl(cp)) {
      return {
        type: 'string_control_character',
        msg: `String should not contain control characters (${hex(cp)} at character ${position})`,
      };
    }
    if (isInvalidUnicode(cp)) {
      const what =
        cp >= 0xd800 && cp <= 0xdfff
          ? 'a lone surrogate'
          : cp === 0xfffd
            ? 'U+FFFD (bytes that were not valid UTF-8)'
            : `the noncharacter ${hex(cp)}`;
      return { type: 'string_invalid_unicode', msg: `String should be valid Unicode text (${what} at character ${position})` };
    }
  }
  return null;
}

/** Every rule for a name the domain stores; null when the text is acceptable. */
export function textProblem(value: string): TextProblem | null {
  // Code points, as JSON Schema counts them: a string of 2×min UTF-16 units or more holds at
  // least min of them, so only short strings are counted.
  if (value.length < 2 * TEXT_LIMITS.minLength && [...value].length < TEXT_LIMITS.minLength) {
    const { minLength } = TEXT_LIMITS;
    return { type: 'string_too_short', msg: `String should have at least ${minLength} character${minLength === 1 ? '' : 's'}` };
  }
  // Code points, as JSON Schema's maxLength counts them; cheap bound first.
  if (value.length > TEXT_LIMITS.maxLength && [...value].length > TEXT_LIMITS.maxLength) {
    return { type: 'string_too_long', msg: `String should have at most ${TEXT_LIMITS.maxLength} characters` };
  }
  if (value.trim().length === 0) return { type: 'string_pattern_mismatch', msg: 'String should contain a visible character' };
  return characterProblem(value);
}

/** Throws InvalidInputError naming `field` when `value` is not acceptable text. */
export function checkText(field: string, value: string): void {
  const problem = textProblem(value);
  if (problem) throw new InvalidInputError(field, problem.type, problem.msg);
}

/**
 * A user name as it enters (a borrower, a token's holder, a team member): the text rules,
 * and nothing that only looks like another name. Refused rather than folded, so a name is
 * stored and answered exactly as its client sent it (the REST contract echoes `user`):
 * - leading or trailing whitespace (" admin", "admin ");
 * - text that Unicode compatibility normalization (NFKC) changes: full-width "ａｄｍｉｎ",
 *   ligatures, decomposed accents. Case look-alikes ("ADMIN" beside "admin") are refused
 *   where names are granted power, at token creation (auth/index.ts).
 */
export function checkUserName(field: string, value: string): void {
  checkText(field, value);
  if (value !== value.trim()) {
    throw new InvalidInputError(field, 'string_surrounding_whitespace', 'A user name must not start or end with whitespace');
  }
  const normalized = value.normalize('NFKC');
  if (normalized !== value) {
    throw new InvalidInputError(
      field,
      'string_not_normalized',
      `A user name must be in Unicode NFKC form: write ${JSON.stringify(normalized.slice(0, 80))} instead`,
    );
  }
}

/** For optional filters (`?user=`, `?tool=`): only the characters are checked. */
export function checkFilterText(field: string, value: string | undefined): void {
  if (value === undefined) return;
  const problem = characterProblem(value);
  if (problem) throw new InvalidInputError(field, problem.type, problem.msg);
}

/**
 * For text that is only logged (browser error reports, stack traces): never refused,
 * made harmless instead. Newlines and tabs stay (stacks need them; JSON logs escape them);
 * other control characters become `\u{..}`, invalid Unicode becomes U+FFFD.
 */
export function printableText(value: string): string {
  const wellFormed = value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return wellFormed.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this regex's job
    /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}

// One entry for both formats: the source's kind picks the parser.
import { parseLmstat, type ParseOptions } from './flexnet.ts';
import { parseRlmstat } from './rlm.ts';
import type { ObservedKind, ParsedStatus } from './types.ts';

export function parseStatus(kind: ObservedKind, text: string, opts: ParseOptions): ParsedStatus {
  return kind === 'rlm' ? parseRlmstat(text, opts) : parseLmstat(text, opts);
}

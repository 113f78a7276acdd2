// The rules for what an admin may register: written once, asked by REST and GraphQL alike.
import { OBSERVED_LIMITS } from './records.ts';
import { invalidField } from './errors.ts';
import type { ObservedKind } from './types.ts';
import { splitCommand } from './command.ts';

export interface SourceInput {
  name: string;
  kind: string;
  command?: string | null;
  intervalSeconds?: number | null;
}

export interface ValidSource {
  name: string;
  kind: ObservedKind;
  command: string | null;
  intervalSeconds: number;
}

const NAME = new RegExp(OBSERVED_LIMITS.namePattern);
export const DEFAULT_INTERVAL_SECONDS = 60;

export function checkSourceName(name: string, field = 'name'): void {
  if (!NAME.test(name)) {
    throw invalidField(
      field,
      `${field} must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      'string_pattern_mismatch',
    );
  }
}

export function validateSource(input: SourceInput): ValidSource {
  checkSourceName(input.name);
  if (input.kind !== 'flexnet' && input.kind !== 'rlm') throw invalidField('kind', "kind must be 'flexnet' or 'rlm'", 'enum');
  const interval = input.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  const { min, max } = OBSERVED_LIMITS.interval;
  if (!Number.isInteger(interval) || interval < min || interval > max) {
    throw invalidField('intervalSeconds', `interval_seconds must be an integer from ${min} to ${max}`);
  }
  let command: string | null = null;
  if (input.command != null) {
    command = input.command.trim();
    if (command.length > OBSERVED_LIMITS.maxCommandLength) {
      throw invalidField('command', `command must be at most ${OBSERVED_LIMITS.maxCommandLength} characters`, 'string_too_long');
    }
    // Checked now, not at the first poll: a command that cannot be split is refused here.
    const argv = splitCommand(command);
    if (typeof argv === 'string') throw invalidField('command', `command ${argv}`);
  }
  return { name: input.name, kind: input.kind, command, intervalSeconds: interval };
}

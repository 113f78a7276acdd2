// The words people read when a seat changes hands take the article a tool's name needs:
// "an analysis seat", "a cad_tool seat" (the dashboard's event feed and line messages).
import { describe, expect, it } from 'vitest';
import { aTool, eventText, ticketEndText } from '../client/src/lib/format';
import { aTool as cliATool } from '../cli/output.ts';
import type { LicenseEvent } from '../client/src/lib/types';

describe('a seat handed from the line', () => {
  it('reads "an analysis seat" and "a cad_tool seat"', () => {
    const granted = (tool: string) => ({ type: 'GRANTED', user: 'dana', tool }) as unknown as LicenseEvent;
    expect(eventText(granted('analysis'))).toBe('dana was handed an analysis seat from the line');
    expect(eventText(granted('cad_tool'))).toBe('dana was handed a cad_tool seat from the line');
    expect(ticketEndText({ state: 'GRANTED', tool: 'analysis', leaseSeconds: 60 })).toMatch(/^Your turn: you were handed an analysis seat/);
  });

  it('the article follows the first letter, in the dashboard and the CLI alike', () => {
    for (const [tool, text] of [
      ['analysis', 'an analysis'],
      ['Elmer', 'an Elmer'],
      ['simulation', 'a simulation'],
    ]) {
      expect(aTool(tool!)).toBe(text);
      expect(cliATool(tool!)).toBe(text);
    }
  });
});

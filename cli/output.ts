// What the commands print on stdout: aligned tables for people, JSON for scripts.

/** Columns padded to their widest cell; numbers right-aligned. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...cells.map(line)].join('\n')}\n`;
}

export const printJson = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

export const print = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};

/** `2026-11-30T20:21:41.123Z` → `2026-11-30 20:21:41Z`: a time read at a glance. */
export const shortTime = (iso: string | null | undefined): string | null => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : null);

/** "a cad_tool", "an analysis": the article a tool's name takes when read aloud (by its first letter). */
export const aTool = (tool: string): string => `${/^[aeiou]/i.test(tool) ? 'an' : 'a'} ${tool}`;

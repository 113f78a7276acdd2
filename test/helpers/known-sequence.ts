// The known sequence of operations the persistence tests replay, and how they read one
// metric line: the in-process metrics test and the real-process restart test share both.
import { postJson } from './server.ts';

/** Three analysis borrows (the third denied), two unknown tools, one return. */
export async function runKnownSequence(url: string): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await postJson(`${url}/licenses/borrow`, { tool: 'analysis', user: `m${i}` })).json.id);
  await postJson(`${url}/licenses/borrow`, { tool: 'random-tool-1', user: 'x' });
  await postJson(`${url}/licenses/borrow`, { tool: 'random-tool-2', user: 'x' });
  await postJson(`${url}/licenses/return`, { id: ids[0] });
}

/** The value of one exposition line (name and labels as written), or undefined. */
export const metric = (text: string, line: string): number | undefined => {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

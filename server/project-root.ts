// The project directory: migrations (prisma/) and built pages (dist/) are found from here at
// run time. The server runs from TypeScript in server/ (tests, `npm run serve`) and from the
// bundle in dist/server/ (`npm start`, the image, the end-to-end tests), at different depths,
// so the root is found by walking up to the folder holding package.json and prisma/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'prisma'))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the Floatline folder (package.json and prisma/) above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
/** A path inside the project folder, ending in / when `dir` does. */
export const projectPath = (dir: string) => `${join(PROJECT_ROOT, dir)}${dir.endsWith('/') ? '/' : ''}`;

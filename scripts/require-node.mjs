// Stops at once, with what to do, when the Node.js running Floatline is older than it needs
// (package.json "engines"; test/node-version.test.ts keeps the two in step). Imported first by
// `npm start`'s build step and by the server itself: without it an old Node gets as far as
// loading better-sqlite3, whose "compiled against a different Node.js version" error reads
// as a database problem. Plain old syntax on purpose, so any Node can run this far.

export const MIN_NODE = '22.15.0';

/** Whether version `v` ("22.15.0", "v20.20.2") is at least `min`. */
export function nodeAtLeast(v, min = MIN_NODE) {
  const a = String(v).replace(/^v/, '').split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
  }
  return true;
}

/** The message for a Node that is too old. */
export function oldNodeMessage(v) {
  return [
    `floatline: Node.js ${MIN_NODE} or newer is needed; this is Node.js ${String(v).replace(/^v/, '')} (${process.execPath}).`,
    "  In this shell, run:  . scripts/use-node.sh   (puts the project's Node 22 first on PATH, fetching it into .tools/ once)",
    '  or install Node.js 22 LTS, then: npm rebuild better-sqlite3 && npm start',
  ].join('\n');
}

if (!nodeAtLeast(process.versions.node)) {
  process.stderr.write(`${oldNodeMessage(process.versions.node)}\n`);
  process.exit(2);
}

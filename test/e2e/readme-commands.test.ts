// Every shell command the README shows must run as written. This test reads README.md's
// ```bash blocks, runs each command with bash against a real server on a free port
// (only `localhost:8000` is rewritten to that port) and checks it exits 0 with a 2xx answer.
// Placeholders: `<id>` is the "id" of the most recent answer that carried one (the borrow).
// Commands that start or stop the whole product are covered by other tests; they are listed
// below, each with its reason, and the list fails if one of them leaves the README.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, postJson, startServer, type RunningServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

/** Commands not run here, each with the place that covers it. Keys are the commands without trailing comments. */
const NOT_RUN_HERE: Record<string, string> = {
  'npm install && npm start':
    'installs and serves the product; test/first-run.test.ts runs `npm start` (build only when needed, busy port)',
  'npm install && npm test': 'the whole suite itself; CI (.ci/run) runs it',
};

interface Command {
  text: string;
  line: number;
}

/** Splits README.md's ```bash blocks into commands: `\` continues a line, `#` lines are comments. */
function readmeCommands(markdown: string): Command[] {
  const commands: Command[] = [];
  const lines = markdown.split('\n');
  let inBash = false;
  let current: string[] = [];
  let start = 0;
  lines.forEach((line, i) => {
    if (/^```/.test(line)) {
      if (!inBash && /^```(bash|sh|shell)\s*$/.test(line)) {
        inBash = true;
        return;
      }
      if (inBash && current.length) throw new Error(`README.md:${start}: command ends in a line continuation`);
      inBash = false;
      return;
    }
    if (!inBash) return;
    if (current.length === 0) {
      if (line.trim() === '' || line.trim().startsWith('#')) return;
      start = i + 1;
    }
    current.push(line);
    if (!line.endsWith('\\')) {
      commands.push({ text: current.join('\n'), line: start });
      current = [];
    }
  });
  return commands;
}

const withoutComment = (c: string) => c.replace(/\s+#[^'"]*$/, '').trim();

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const commands = readmeCommands(readme);
const runnable = commands.filter((c) => !(withoutComment(c.text) in NOT_RUN_HERE));

let server: RunningServer;
let curlHome: string;
beforeAll(async () => {
  server = await startServer();
  // curl reads $CURL_HOME/.curlrc: the command runs exactly as written and still reports its status.
  curlHome = mkdtempSync(join(tmpdir(), 'floatline-curlrc-'));
  writeFileSync(join(curlHome, '.curlrc'), 'write-out = "\\n@@status %{http_code}\\n"\nmax-time = 20\n');
});
afterAll(async () => {
  await server?.stop();
});

function run(command: string, opts: { until?: (out: string) => boolean; timeoutMs?: number } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { env: { ...process.env, CURL_HOME: curlHome }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${opts.timeoutMs ?? 20_000} ms:\n${command}\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      if (opts.until?.(stdout)) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('README commands', () => {
  it('finds the commands and keeps the not-run list honest', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(7);
    const present = new Set(commands.map((c) => withoutComment(c.text)));
    expect(Object.keys(NOT_RUN_HERE).filter((c) => !present.has(c))).toEqual([]);
    for (const c of runnable) expect(c.text, `README.md:${c.line} talks to localhost:8000`).toContain('localhost:8000');
  });

  it('runs every other command as written against a real server', async () => {
    let lastId: string | undefined;
    const results: string[] = [];
    for (const { text, line } of runnable) {
      let command = text.replaceAll('localhost:8000', `127.0.0.1:${server.port}`);
      if (command.includes('<id>')) {
        expect(lastId, `README.md:${line} needs an id from an earlier command`).toBeDefined();
        command = command.replaceAll('<id>', lastId!);
      }
      if (/\bcurl\b[^\n]*\s-N\b/.test(command)) {
        // A stream the README says to leave running: it must deliver the next change, then we stop it.
        let ended = false;
        const streaming = run(command, { until: (out) => /^data: .*"data"/m.test(out) });
        void streaming.then(
          () => {
            ended = true;
          },
          () => {
            ended = true;
          },
        );
        // Borrow (and return) until the stream shows an event and curl is stopped: it may not
        // be subscribed yet.
        await waitFor(
          async () => {
            if (ended) return true;
            const b = await postJson(`${server.url}/licenses/borrow`, { tool: 'analysis', user: 'readme-stream' });
            if (b.status === 200) await postJson(`${server.url}/licenses/return`, { id: b.json.id });
            return ended;
          },
          15_000,
          `README.md:${line}'s stream to show a change`,
          { intervalMs: 300 },
        );
        const { stdout, stderr } = await streaming;
        expect(stdout, `README.md:${line} streams the change\n${stderr}`).toMatch(/^data: .*"data"/m);
        results.push(`${line}: stream ok`);
        continue;
      }
      const { code, stdout, stderr } = await run(command);
      const status = Number(stdout.match(/@@status (\d+)\s*$/)?.[1]);
      const body = stdout.replace(/\n@@status \d+\s*$/, '');
      expect({ line, code, status, stderr: code === 0 ? '' : stderr }, body).toMatchObject({ code: 0, status: expect.any(Number) });
      expect(status, `README.md:${line} answered ${status}: ${body}`).toBeGreaterThanOrEqual(200);
      expect(status, `README.md:${line} answered ${status}: ${body}`).toBeLessThan(300);
      let json: any;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      if (command.includes('/graphql')) expect(json?.errors, `README.md:${line}: ${body}`).toBeUndefined();
      const id = json?.id ?? json?.data?.borrowLicense?.id;
      if (typeof id === 'string') lastId = id;
      results.push(`${line}: ${status}`);
    }
    expect(results).toHaveLength(runnable.length);
  });
});

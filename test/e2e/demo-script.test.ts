// scripts/local_devops_demo.sh, run for real in native mode (no Docker engine here):
// starts Floatline and Prometheus, drives traffic, prints every URL and cleans up.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort, requireTool, ROOT } from '../helpers/ops.ts';

describe('local_devops_demo.sh (native mode)', () => {
  it('runs the loop, prints the URLs and leaves nothing running', async () => {
    requireTool('prometheus');
    const [port, promPort] = [await freePort(), await freePort()];
    const r = spawnSync(
      'bash',
      [
        'scripts/local_devops_demo.sh',
        '--mode',
        'native',
        '--skip-install',
        '--skip-tests',
        '--skip-build',
        '--no-wait',
        '--traffic',
        '4',
        '--users',
        '6',
        '--port',
        String(port),
        '--prom-port',
        String(promPort),
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, TERM: 'dumb' } },
    );
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.status, out).toBe(0);
    for (const text of [
      'Checking prerequisites',
      'Starting Floatline natively',
      'Starting Prometheus natively',
      'Generating traffic',
      'Simulation finished',
      `http://127.0.0.1:${port}/presentation`,
      `http://127.0.0.1:${promPort}/alerts`,
      'Cleaning up',
      'stopped Prometheus',
      'stopped Floatline',
    ])
      expect(out).toContain(text);
    for (const p of [port, promPort]) {
      await expect(fetch(`http://127.0.0.1:${p}/`), `port ${p} still answers`).rejects.toThrow();
    }
  }, 150_000);

  it('fails with a clear message on a bad option', () => {
    const r = spawnSync('bash', ['scripts/local_devops_demo.sh', '--mode', 'nonsense', '--skip-install', '--skip-tests'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--mode must be auto, compose or native/);
  });
});

// What a real Node process does with faults no code caught, once handleProcessFaults is
// installed: a rejection is logged and the process goes on; an uncaught exception is logged
// as fatal, the graceful shutdown runs, and the process exits with code 1.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../test/helpers/server.ts';

function run(body: string) {
  const script = `
    import { handleProcessFaults } from './server/process-faults.ts';
    import { createLogger } from './server/observability/logger.ts';
    import pino from 'pino';
    const log = createLogger('info', pino.destination({ dest: 1, sync: true }));
    const hooks = handleProcessFaults(log);
    let rejections = 0;
    hooks.countRejection = () => { rejections++; };
    hooks.shutdown = async (reason) => { log.info({ event: 'test_shutdown', reason, rejections }, 'shutdown ran'); };
    ${body}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const lines = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);
  return { status: r.status, lines, stderr: r.stderr };
}

describe('process faults', () => {
  it('logs and counts an unhandled rejection and keeps running', () => {
    const r = run(`
      Promise.reject(new Error('lost publish'));
      setTimeout(() => { log.info({ event: 'still_running', rejections }, 'alive'); }, 100);`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.lines.find((l) => l.event === 'unhandled_rejection')).toMatchObject({ level: 'error', err: { message: 'lost publish' } });
    expect(r.lines.find((l) => l.event === 'still_running')).toMatchObject({ rejections: 1 });
  });

  it('logs an uncaught exception as fatal, shuts down gracefully and exits 1', () => {
    const r = run(`
      setTimeout(() => { throw new Error('broken invariant'); }, 10);
      setInterval(() => {}, 1000); // something that would keep the process alive`);
    expect(r.status, r.stderr).toBe(1);
    expect(r.lines.find((l) => l.event === 'uncaught_exception')).toMatchObject({ level: 'fatal', err: { message: 'broken invariant' } });
    expect(r.lines.find((l) => l.event === 'test_shutdown')).toMatchObject({ reason: 'uncaughtException' });
  });
});

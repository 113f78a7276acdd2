// The GitHub workflow can pass on GitHub: it is a valid workflow (action-validator checks it
// against GitHub's schema), its test job has the PostgreSQL and Redis the tests use, and the
// chain it runs (.ci/run → npm test) includes the type checks. Every place that states the
// Node version states the one package.json's engines accept, and these tests run on it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './helpers/server.ts';

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const workflow = parseYaml(read('.github/workflows/ci.yml'));
const pkg = JSON.parse(read('package.json'));

describe('.github/workflows/ci.yml', () => {
  const validate = (file: string) => {
    try {
      execFileSync(join(ROOT, 'node_modules', '.bin', 'action-validator'), [file], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return 'valid';
    } catch (e: any) {
      return `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
  };

  it('is a valid GitHub Actions workflow (action-validator)', () => {
    expect(validate('.github/workflows/ci.yml')).toBe('valid');
    // The validator does reject a broken one: a job without runs-on, a step with an unknown key.
    const broken = join(mkdtempSync(join(tmpdir(), 'floatline-wf-')), 'ci.yml');
    writeFileSync(broken, read('.github/workflows/ci.yml').replace('runs-on: ubuntu-24.04', 'runs_on: ubuntu-24.04'));
    expect(validate(broken)).not.toBe('valid');
  });

  it('gives the test job healthy PostgreSQL and Redis services and points the tests at them', () => {
    const job = workflow.jobs.test;
    expect(job.services.postgres.image).toMatch(/^postgres:15\b/);
    expect(job.services.redis.image).toMatch(/^redis:7\b/);
    expect(job.services.postgres.options).toMatch(/--health-cmd "pg_isready/);
    expect(job.services.redis.options).toMatch(/--health-cmd "redis-cli ping"/);
    // A container job reaches services by their name.
    expect(job.container).toMatch(/^node:22\b/);
    expect(new URL(job.env.TEST_POSTGRES_URL).hostname).toBe('postgres');
    expect(new URL(job.env.TEST_REDIS_URL).hostname).toBe('redis');
    expect(job.services.postgres.env.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
  });

  it('runs .ci/run, which runs npm test with tsc, svelte-check and Biome before vitest', () => {
    expect(workflow.jobs.test.steps.map((s: any) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
    expect(read('.ci/run')).toMatch(/^npm test\b/m);
    expect(pkg.scripts.pretest).toBe('bash scripts/ensure-test-tools.sh');
    const test: string = pkg.scripts.test;
    const order = ['npm run typecheck', 'npm run check:svelte', 'npm run lint', 'npm run build', 'vitest run'].map((c) => test.indexOf(c));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(pkg.scripts['check:svelte']).toMatch(/^svelte-check .*--fail-on-warnings/);
    expect(pkg.scripts.lint).toBe('biome check .');
    const tools = read('scripts/ensure-test-tools.sh');
    for (const p of ['prometheus', 'shellcheck', 'yamllint', 'chromium', 'postgresql', 'redis-server'])
      expect(tools).toContain(`missing+=(${p})`);
  });
});

describe('the stated Node version', () => {
  const engines: string = pkg.engines.node;
  const [minMajor, minMinor] = engines.replace('>=', '').split('.').map(Number);

  it('is what these tests run on', () => {
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect(engines).toMatch(/^>=\d+\.\d+$/);
    expect(
      major! > minMajor! || (major === minMajor && minor! >= minMinor!),
      `Node ${process.version} is older than engines ${engines}`,
    ).toBe(true);
  });

  it('is the same in the workflow, the Dockerfile, use-node.sh and the README', () => {
    expect(workflow.jobs.test.container).toBe(`node:${minMajor}-bookworm`);
    expect(read('Dockerfile')).toMatch(new RegExp(`^ARG NODE_VERSION=${minMajor}$`, 'm'));
    const fetched = read('scripts/use-node.sh').match(/_floatline_node_version="(\d+)\.(\d+)\.\d+"/);
    expect(fetched && Number(fetched[1]) === minMajor && Number(fetched[2]) >= minMinor!).toBe(true);
    expect(read('README.md')).toContain(`Node.js ≥ ${minMajor}.${minMinor}`);
    for (const file of [
      '.github/workflows/ci.yml',
      'Dockerfile',
      '.ci/run',
      'README.md',
      'docs/deployment.md',
      'scripts/local_devops_demo.sh',
    ]) {
      expect(read(file), file).not.toMatch(
        /node:20\b|node-version: *['"]?20\b|Node(\.js)? (≥ ?)?20(\+|\b)(?! reached end of life)|-ge 20\b/,
      );
    }
  });
});

// The workflow's publish job: the image goes to GitHub Container Registry from main and from
// version tags only, only after the test and image jobs passed, tagged from the commit and
// the version, with OCI labels, an SBOM and provenance — and the whole workflow stays a
// valid GitHub Actions workflow (action-validator, which does refuse a broken publish job).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/server.ts';

const text = readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8');
const workflow = parse(text);
const publish = workflow.jobs.publish;
/** A GitHub expression as the workflow writes it: ${{ e }}. */
const gh = (e: string) => ['$', '{{ ', e, ' }}'].join('');
const step = (uses: string) => publish.steps.find((s: any) => String(s.uses).startsWith(`${uses}@`));

function actionValidator(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'floatline-wf-')), 'ci.yml');
  writeFileSync(file, yaml);
  try {
    execFileSync(join(ROOT, 'node_modules', '.bin', 'action-validator'), [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return 'valid';
  } catch (e: any) {
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

describe('.github/workflows/ci.yml publish job', () => {
  it('passes action-validator, which refuses the job when it is malformed', () => {
    expect(actionValidator(text)).toBe('valid');
    expect(actionValidator(text.replace('    needs: [test, image]\n', '    needs: [test, image]\n    runs_after: image\n'))).not.toBe(
      'valid',
    );
  });

  it('runs only for pushes to main and version tags, after the tests and the image smoke test', () => {
    expect(publish.needs).toEqual(['test', 'image']);
    expect(publish.if).toBe("github.event_name == 'push' && (github.ref == 'refs/heads/main' || startsWith(github.ref, 'refs/tags/v'))");
    // Pull requests run the other jobs but never this one; the workflow-wide token stays read-only.
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(publish.permissions).toEqual({ contents: 'read', packages: 'write' });
  });

  it('logs in to ghcr.io with the job token only', () => {
    expect(step('docker/login-action').with).toEqual({
      registry: 'ghcr.io',
      username: gh('github.actor'),
      password: gh('secrets.GITHUB_TOKEN'),
    });
    expect(text.match(/secrets\.\w+/g)).toEqual(['secrets.GITHUB_TOKEN']);
  });

  it('tags from the commit and the version, and labels the image', () => {
    const meta = step('docker/metadata-action');
    expect(meta.id).toBe('meta');
    expect(meta.with.images).toBe(`ghcr.io/${gh('github.repository')}`);
    const tags = meta.with.tags.trim().split('\n');
    expect(tags).toEqual([
      'type=sha,format=long',
      'type=ref,event=branch',
      'type=semver,pattern={{version}}',
      'type=semver,pattern={{major}}.{{minor}}',
    ]);
    expect(meta.with.labels).toContain('org.opencontainers.image.licenses=MIT');
  });

  it('pushes the build with its tags, labels, an SBOM and provenance', () => {
    const build = step('docker/build-push-action');
    expect(build.with).toMatchObject({
      push: true,
      tags: gh('steps.meta.outputs.tags'),
      labels: gh('steps.meta.outputs.labels'),
      annotations: gh('steps.meta.outputs.annotations'),
      sbom: true,
      provenance: 'mode=max',
    });
    expect(build.with['build-args']).toBe(`APP_VERSION=${gh('steps.meta.outputs.version')}`);
    // Before it: checkout, Buildx, login, metadata.
    expect(publish.steps.indexOf(build)).toBe(publish.steps.length - 1);
    expect(publish.steps.map((s: any) => String(s.uses ?? '').split('@')[0])).toEqual([
      'actions/checkout',
      'docker/setup-buildx-action',
      'docker/login-action',
      'docker/metadata-action',
      'docker/build-push-action',
    ]);
  });
});

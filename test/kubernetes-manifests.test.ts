// deploy/kubernetes renders, with kubectl's own kustomize, into objects the Kubernetes API
// would accept (each validated against its schema by kubernetes-models), and both overlays
// keep the rules a production rollout relies on: probes, a locked-down security context,
// replicas and disruption budget, migrations in one init step, secrets only by reference,
// and the alert rules Prometheus is tested with.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { ROOT } from './helpers/server.ts';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any;
};

function render(overlay: string): Obj[] {
  const out = execFileSync('kubectl', ['kustomize', join(ROOT, 'deploy/kubernetes/overlays', overlay)], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJS() as Obj);
}

/** The kubernetes-models class for an object's apiVersion and kind. */
async function modelOf(o: Obj): Promise<new (data: unknown) => { validate(): void }> {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  const mod =
    group === 'monitoring.coreos.com'
      ? await import(`@kubernetes-models/prometheus-operator/${group}/${version}`)
      : await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
  const model = mod[o.kind];
  if (!model) throw new Error(`no schema for ${o.apiVersion} ${o.kind}`);
  return model;
}

async function validationError(o: Obj): Promise<string | null> {
  const Model = await modelOf(o);
  try {
    new Model(o).validate();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

const one = (objs: Obj[], kind: string) => {
  const found = objs.filter((o) => o.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
};

const SECRET_NAMES = /(^DATABASE_URL$|^REDIS_URL$|TOKEN|SECRET|PASSWORD)/;

const overlays = { 'single-node': render('single-node'), 'high-availability': render('high-availability') };

describe.each(Object.entries(overlays))('overlay %s', (name, objs) => {
  const deployment = one(objs, 'Deployment');
  const pod = deployment.spec.template.spec;
  const server = pod.containers.find((c: any) => c.name === 'floatline');
  const env = (c: any, n: string) => c.env.find((e: any) => e.name === n);

  it('renders only objects that validate against the Kubernetes API schemas', async () => {
    expect(objs.length).toBeGreaterThan(5);
    for (const o of objs) expect(await validationError(o), `${o.kind}/${o.metadata.name}`).toBeNull();
    // The validation is real: a malformed Deployment is refused.
    const broken = structuredClone(deployment);
    broken.spec.replicas = 'three';
    expect(await validationError(broken)).toMatch(/replicas/);
  });

  it('puts everything in the floatline namespace with the app labels in every selector', () => {
    for (const o of objs.filter((o) => o.kind !== 'Namespace')) {
      expect(o.metadata.namespace, o.kind).toBe('floatline');
      expect(o.metadata.labels?.['app.kubernetes.io/name'], o.kind).toBe('floatline');
    }
    const service = one(objs, 'Service');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  it('probes readiness on /readyz and liveness on /healthz, and drains within the grace period', () => {
    expect(server.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
    expect(server.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    expect(server.startupProbe.httpGet.path).toBe('/healthz');
    expect(server.ports).toEqual([{ name: 'http', containerPort: Number(env(server, 'PORT').value), protocol: 'TCP' }]);
    const drainSeconds = Number(env(server, 'SHUTDOWN_GRACE_MS').value) / 1000;
    const preStop = server.lifecycle.preStop.sleep.seconds;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop + drainSeconds);
  });

  it('runs every container unprivileged on a read-only root filesystem, with limits', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext, c.name).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(
        c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.cpu && c.resources.limits.memory,
        c.name,
      ).toBeTruthy();
      expect(c.image, c.name).toMatch(/^ghcr\.io\/[^/]+\/floatline:\S+$/);
      // A read-only root needs a writable /tmp.
      expect(
        c.volumeMounts.map((m: any) => m.mountPath),
        c.name,
      ).toContain('/tmp');
    }
  });

  it('applies migrations in one init step that runs the server image with `migrate`', () => {
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['migrate']);
    const migrate = pod.initContainers[0];
    expect(migrate.image).toBe(server.image);
    expect(migrate.command).toEqual(['node', 'dist/server/main.mjs', 'migrate']);
    // It reaches the same database as the server.
    for (const n of ['DATABASE_URL', 'LICENSE_DB_PATH']) expect(env(migrate, n), n).toEqual(env(server, n));
    expect(objs.some((o) => o.kind === 'Job')).toBe(false);
  });

  it('never carries a secret inline: secret values come from the Secret by reference', () => {
    expect(objs.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      for (const e of c.env.filter((e: any) => SECRET_NAMES.test(e.name))) {
        expect(e.value, `${c.name} ${e.name}`).toBeUndefined();
        expect(e.valueFrom.secretKeyRef.name, `${c.name} ${e.name}`).toBe('floatline');
      }
    }
    expect(env(server, 'FLOATLINE_ADMIN_TOKEN').valueFrom.secretKeyRef.key).toBe('FLOATLINE_ADMIN_TOKEN');
  });

  it('allows the Service and Ingress host names in ALLOWED_HOSTS', () => {
    const allowed: string[] = env(server, 'ALLOWED_HOSTS').value.split(',');
    const service = one(objs, 'Service').metadata;
    expect(allowed).toEqual(
      expect.arrayContaining([
        service.name,
        `${service.name}.${service.namespace}.svc`,
        `${service.name}.${service.namespace}.svc.cluster.local`,
      ]),
    );
    for (const rule of one(objs, 'Ingress').spec.rules) expect(allowed).toContain(rule.host);
  });

  it('admits traffic only on the HTTP port, from the ingress controller and monitoring', () => {
    const policy = one(objs, 'NetworkPolicy');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(policy.spec.ingress.flatMap((r: any) => r.ports)).toEqual([{ port: 'http', protocol: 'TCP' }]);
  });

  if (name === 'single-node')
    it('runs one replica on SQLite on a PersistentVolumeClaim, replaced (not rolled) on update', () => {
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
      const claim = one(objs, 'PersistentVolumeClaim');
      const volume = pod.volumes.find((v: any) => v.persistentVolumeClaim);
      expect(volume.persistentVolumeClaim.claimName).toBe(claim.metadata.name);
      const dbPath = env(server, 'LICENSE_DB_PATH').value;
      for (const c of [...pod.initContainers, server])
        expect(c.volumeMounts.find((m: any) => m.name === volume.name).mountPath, c.name).toBe(dbPath.replace(/\/[^/]+$/, ''));
      expect(env(server, 'DATABASE_URL').valueFrom.secretKeyRef.optional).toBe(true);
      expect(objs.some((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'PodDisruptionBudget')).toBe(false);
    });

  if (name === 'high-availability')
    it('runs three replicas on PostgreSQL and Redis, spread, budgeted, autoscaled and monitored', () => {
      expect(deployment.spec.replicas).toBe(3);
      expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
      for (const n of ['DATABASE_URL', 'REDIS_URL'])
        expect(env(server, n).valueFrom.secretKeyRef, n).toMatchObject({ name: 'floatline', key: n, optional: false });
      expect(env(pod.initContainers[0], 'DATABASE_URL').valueFrom.secretKeyRef.optional).toBe(false);
      expect(pod.volumes.some((v: any) => v.persistentVolumeClaim)).toBe(false);
      expect(pod.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual([
        'topology.kubernetes.io/zone',
        'kubernetes.io/hostname',
      ]);
      for (const t of pod.topologySpreadConstraints) expect(t.labelSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);

      const pdb = one(objs, 'PodDisruptionBudget');
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
      expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(2);
      expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);

      const hpa = one(objs, 'HorizontalPodAutoscaler');
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
      expect(hpa.spec.minReplicas).toBe(deployment.spec.replicas);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);

      const monitor = one(objs, 'ServiceMonitor');
      // It selects Floatline's Service (every label it asks for is on the Service).
      expect(one(objs, 'Service').metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
      expect(Object.keys(monitor.spec.selector.matchLabels).length).toBeGreaterThan(1);
      expect(monitor.spec.endpoints).toEqual([
        expect.objectContaining({
          port: 'http',
          path: '/metrics',
          relabelings: [{ action: 'replace', targetLabel: 'job', replacement: 'license-server' }],
        }),
      ]);
    });
});

describe('the PrometheusRule', () => {
  it('holds exactly the rule groups of prometheus/rules/ (regenerate with node --import tsx scripts/build-prometheus-rule.ts)', async () => {
    const rule = one(overlays['high-availability'], 'PrometheusRule');
    const fromFiles = readdirSync(join(ROOT, 'prometheus/rules'))
      .filter((f) => f.endsWith('.yml'))
      .sort()
      .flatMap((f) => parseYaml(readFileSync(join(ROOT, 'prometheus/rules', f), 'utf8')).groups);
    expect(rule.spec.groups).toEqual(fromFiles);
    expect(rule.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert)).filter(Boolean)).toContain('FloatlineDown');
    // The committed file is byte for byte what the script writes now.
    const { prometheusRule, OUTPUT } = await import('../scripts/build-prometheus-rule.ts');
    expect(readFileSync(OUTPUT, 'utf8')).toBe(prometheusRule());
  });
});

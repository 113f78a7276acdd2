// docker-compose.yml is a valid Compose file (the Compose Specification's own JSON schema,
// vendored in test/fixtures/compose-spec.schema.json from the compose-spec project's
// schema/compose-spec.json, Apache-2.0: no Docker engine runs here, and the docker client
// has no compose plugin), and its "ha" profile is wired as documented: two replicas on
// PostgreSQL and Redis behind Caddy, both scraped by Prometheus, traces to Tempo, and a
// Grafana Tempo data source that leads from a trace to its log lines in Loki.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/server.ts';

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
// Compose resolves YAML merge keys (<<: *replica); so does this parse.
const compose = parse(read('docker-compose.yml'), { merge: true });
const services: Record<string, any> = compose.services;
// Ajv knows draft-07 by its http:// id; the schema names it by https://.
const { $schema: _draft, ...schema } = JSON.parse(read('test/fixtures/compose-spec.schema.json'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const errorsOf = (doc: unknown) => (validate(doc) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`));

const HA = ['floatline-a', 'floatline-b', 'postgres', 'proxy', 'redis'];
const replicas = ['floatline-a', 'floatline-b'];

describe('docker-compose.yml', () => {
  it('validates against the Compose Specification schema', () => {
    expect(errorsOf(compose)).toEqual([]);
    // The schema does refuse a broken file: a misspelt key, a port that is not a port.
    const broken = structuredClone(compose);
    broken.services.proxy.imagee = broken.services.proxy.image;
    broken.services.redis.ports = { redis: 6379 };
    expect(errorsOf(broken).join('\n')).toMatch(/imagee|additional/);
  });

  it('the ha profile holds PostgreSQL, Redis, two Floatline replicas and the proxy; the rest is the default stack', () => {
    expect(
      Object.keys(services)
        .filter((s) => services[s].profiles?.includes('ha'))
        .sort(),
    ).toEqual(HA);
    for (const s of Object.keys(services).filter((n) => !HA.includes(n))) expect(services[s].profiles, s).toBeUndefined();
  });

  it('the replicas run the one image on PostgreSQL and Redis, healthy only when /readyz answers', () => {
    for (const name of replicas) {
      const r = services[name];
      expect(r.image, name).toBe(services.floatline.image);
      const db = new URL(r.environment.DATABASE_URL);
      expect(db.hostname).toBe('postgres');
      expect(db.pathname).toBe(`/${services.postgres.environment.POSTGRES_DB}`);
      expect(decodeURIComponent(db.username)).toBe(services.postgres.environment.POSTGRES_USER);
      expect(r.environment.DATABASE_URL).toContain(`:${services.postgres.environment.POSTGRES_PASSWORD}@`);
      expect(new URL(r.environment.REDIS_URL).hostname).toBe('redis');
      expect(r.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
      expect(r.healthcheck.test.join(' ')).toContain(`127.0.0.1:${r.environment.PORT}/readyz`);
      expect(r.environment.OTEL_RESOURCE_ATTRIBUTES).toBe(`service.instance.id=${name}`);
      // Alloy ships the logs of containers with this label (alloy/config.alloy).
      expect(r.labels['io.floatline.logs']).toBe('true');
      expect(services.postgres.healthcheck && services.redis.healthcheck).toBeTruthy();
    }
    expect(services['floatline-a'].environment.DATABASE_URL).toBe(services['floatline-b'].environment.DATABASE_URL);
  });

  it('Caddy balances over exactly the replicas, checks /readyz, and every Host it sends is allowed', () => {
    const caddy = read('caddy/Caddyfile');
    const upstreams = /reverse_proxy ([^{]+)\{/.exec(caddy)![1]!.trim().split(/\s+/);
    expect(upstreams).toEqual(replicas.map((r) => `${r}:${services[r].environment.PORT}`));
    expect(caddy).toMatch(/health_uri \/readyz/);
    expect(caddy).toMatch(/flush_interval -1/); // SSE
    const listen = /^:(\d+) \{/m.exec(caddy)![1];
    expect(services.proxy.ports).toEqual([`8080:${listen}`]);
    expect(services.proxy.volumes).toContain('./caddy/Caddyfile:/etc/caddy/Caddyfile:ro');
    // Health checks send the upstream's name as Host; browsers come as localhost (always allowed).
    for (const r of replicas) expect(services[r].environment.ALLOWED_HOSTS.split(','), r).toEqual(expect.arrayContaining(replicas));
    expect(Object.keys(services.proxy.depends_on).sort()).toEqual(replicas);
  });

  it('Prometheus scrapes every replica as job license-server, and the single node by an allowed name', () => {
    const job = parse(read('prometheus/prometheus.yml')).scrape_configs.find((j: any) => j.job_name === 'license-server');
    const sd = job.dns_sd_configs[0];
    expect(sd.names.sort()).toEqual(replicas);
    for (const r of replicas) expect(sd.port).toBe(Number(services[r].environment.PORT));
    const [single] = job.static_configs[0].targets[0].split(':');
    expect(services.floatline.environment.ALLOWED_HOSTS.split(',')).toContain(single);
  });

  it('every Floatline sends traces to Tempo over OTLP/HTTP, where Tempo listens', () => {
    const tempo = parse(read('tempo/tempo.yml'));
    const receiver = tempo.distributor.receivers.otlp.protocols.http.endpoint as string;
    for (const name of ['floatline', ...replicas]) {
      const endpoint = new URL(services[name].environment.OTEL_EXPORTER_OTLP_ENDPOINT);
      expect(endpoint.hostname, name).toBe('tempo');
      expect(endpoint.port, name).toBe(receiver.split(':')[1]);
    }
    expect(services.tempo.volumes).toContain('./tempo/tempo.yml:/etc/tempo/tempo.yml:ro');
    expect(services.tempo.ports).toEqual([`${tempo.server.http_listen_port}:${tempo.server.http_listen_port}`]);
  });
});

describe('Grafana: traces and logs lead to each other', () => {
  const sources = parse(read('grafana/provisioning/datasources/datasources.yml')).datasources as any[];
  const tempo = sources.find((d) => d.type === 'tempo');
  const loki = sources.find((d) => d.type === 'loki');
  // What Floatline writes on a traced request's log lines (test/e2e/tracing.test.ts checks it does).
  const line = JSON.stringify({
    level: 'info',
    trace_id: '0af7651916cd43dd8448eb211c80319c',
    span_id: 'b7ad6b7169203331',
    event: 'borrow_license',
  });

  it("the Tempo data source's logs query selects Floatline's lines by their trace_id field", () => {
    const link = tempo.jsonData.tracesToLogsV2;
    expect(link.datasourceUid).toBe(loki.uid);
    // $$ is Grafana's escape for a literal $ in provisioning files.
    expect(link.query).toBe('{job="license-server"} | json | trace_id="$${__trace.traceId}"');
    expect(read('alloy/config.alloy')).toMatch(/job\s*=\s*"license-server"/);
  });

  it("the Loki data source turns a line's trace_id into a link to the trace", () => {
    const field = loki.jsonData.derivedFields.find((f: any) => f.datasourceUid === tempo.uid);
    expect(new RegExp(field.matcherRegex).exec(line)?.[1]).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(field.url).toBe('$${__value.raw}');
  });
});

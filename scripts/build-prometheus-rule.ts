// Writes deploy/kubernetes/components/prometheus-operator/prometheusrule.yaml from the rule
// files Prometheus itself loads (prometheus/rules/*.yml), so the Kubernetes alerts are the
// tested ones. test/kubernetes-manifests.test.ts fails when the committed file is stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const rulesDir = join(root, 'prometheus', 'rules');
export const OUTPUT = join(root, 'deploy', 'kubernetes', 'components', 'prometheus-operator', 'prometheusrule.yaml');

/** The PrometheusRule text for the rule files in prometheus/rules/. */
export function prometheusRule(): string {
  const files = readdirSync(rulesDir)
    .filter((f) => f.endsWith('.yml'))
    .sort();
  const groups = files.flatMap((f) => (parse(readFileSync(join(rulesDir, f), 'utf8')) as { groups: unknown[] }).groups);
  const rule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'floatline', labels: { release: 'prometheus' } },
    spec: { groups },
  };
  return `# Generated from prometheus/rules/${files.length > 1 ? `{${files.join(',')}}` : files[0]} by scripts/build-prometheus-rule.ts; do not edit.\n${stringify(rule, { lineWidth: 0 })}`;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  writeFileSync(OUTPUT, prometheusRule());
  console.log(`wrote ${OUTPUT}`);
}

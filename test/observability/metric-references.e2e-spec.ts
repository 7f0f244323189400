import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { defineAisbfMetrics } from '@aisbf/telemetry';

/**
 * Every metric name that the deployment material reads must be one AISBF exposes: an autoscaler,
 * an alert or a panel on a misspelt name never fires, never scales and shows "No data" forever,
 * and promtool's own tests would pass on such a name too (their input series are made up).
 */
const ROOT = path.resolve(__dirname, '../..');
const read = (...parts: string[]) => readFileSync(path.join(ROOT, ...parts), 'utf8');
const filesIn = (dir: string, suffix: string) =>
  readdirSync(path.join(ROOT, dir))
    .filter((file) => file.endsWith(suffix))
    .map((file) => path.join(dir, file));

/** What /metrics of a service can show: AISBF's metrics with their histogram series, and Node's defaults. */
function exposedNames(): Set<string> {
  const registry = new Registry();
  defineAisbfMetrics(registry);
  collectDefaultMetrics({ register: registry });
  const names = new Set<string>();
  for (const metric of registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

const RULE_FILES = filesIn('deploy/prometheus/rules', '.rules.yml');
const recorded = new Set(RULE_FILES.flatMap((file) => [...read(file).matchAll(/^\s*- record: (\S+)/gm)].map((m) => m[1])));

/** Names of AISBF's and Node's metrics, and of AISBF's recording rules, in a PromQL expression or series selector. */
function metricNamesIn(text: string): string[] {
  const withoutStrings = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const names = withoutStrings.match(/(?<![\w:])(?:aisbf[_:]|process_|nodejs_)[A-Za-z0-9_:]*/g) ?? [];
  // aisbf_service is the label every series carries, not a metric.
  return [...new Set(names)].filter((name) => name !== 'aisbf_service');
}

/** HPA MetricSpecs in a values document (autoscaling.metrics under any service). */
function hpaMetricNames(values: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown, key: string) => {
    if (Array.isArray(node)) node.forEach((item) => visit(item, key));
    else if (node && typeof node === 'object') {
      for (const [child, value] of Object.entries(node)) {
        if (key === 'autoscaling' && child === 'metrics' && Array.isArray(value)) {
          for (const spec of value as Array<Record<string, { metric?: { name?: string } }>>) {
            const name = (spec.pods ?? spec.object ?? spec.external)?.metric?.name;
            if (name) found.push(name);
          }
        }
        visit(value, child);
      }
    }
  };
  visit(values, '');
  return found;
}

interface Reference {
  where: string;
  name: string;
}

function references(): Reference[] {
  const refs: Reference[] = [];
  const add = (where: string, names: string[]) => refs.push(...names.map((name) => ({ where, name })));
  for (const file of ['helm/aisbf/values.yaml', ...filesIn('test/deploy/fixtures', '.yaml')]) add(`${file} HPA`, hpaMetricNames(parse(read(file))));
  // The README's HPA example, as users copy it.
  for (const [, block] of read('README.md').matchAll(/```yaml\n([\s\S]*?)```/g)) {
    for (const doc of parseAllDocuments(block)) add('README.md HPA example', hpaMetricNames(doc.toJS()));
  }
  for (const file of RULE_FILES) {
    for (const group of (parse(read(file)) as { groups: Array<{ rules: Array<{ record?: string; alert?: string; expr: string }> }> }).groups) {
      for (const rule of group.rules) add(`${file} ${rule.record ?? rule.alert}`, metricNamesIn(String(rule.expr)));
    }
  }
  for (const file of filesIn('deploy/prometheus/tests', '.yml')) {
    const tests = (parse(read(file)) as { tests: Array<{ input_series: Array<{ series: string }>; promql_expr_test?: Array<{ expr: string }> }> }).tests;
    for (const test of tests) {
      for (const input of test.input_series) add(`${file} input series`, metricNamesIn(input.series));
      for (const check of test.promql_expr_test ?? []) add(`${file} expression`, metricNamesIn(check.expr));
    }
  }
  for (const file of filesIn('deploy/grafana/dashboards', '.json')) {
    const dashboard = JSON.parse(read(file)) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }>; templating: { list: Array<{ name: string; definition?: string }> } };
    for (const panel of dashboard.panels) for (const target of panel.targets ?? []) add(`${file} "${panel.title}"`, metricNamesIn(target.expr));
    for (const variable of dashboard.templating.list) add(`${file} $${variable.name}`, metricNamesIn(variable.definition ?? ''));
  }
  return refs;
}

describe('metric names read by autoscalers, rules, rule tests and dashboards', () => {
  const exposed = exposedNames();
  const refs = references();

  it('finds references in every kind of material (so an empty scan cannot pass)', () => {
    const kinds = ['HPA', '.rules.yml', 'input series', 'dashboards'];
    for (const kind of kinds) expect([kind, refs.some((ref) => ref.where.includes(kind))]).toEqual([kind, true]);
    expect(refs.filter((ref) => ref.where.includes('values-production.yaml HPA')).map((ref) => ref.name).sort()).toEqual([
      'aisbf_active_streams',
      'aisbf_upstream_active_requests',
    ]);
  });

  it('are all metrics the code registers, or recording rules defined next to them', () => {
    const unknown = refs.filter((ref) => !exposed.has(ref.name) && !recorded.has(ref.name));
    expect(unknown).toEqual([]);
  });

});

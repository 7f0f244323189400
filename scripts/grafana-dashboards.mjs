// Writes AISBF's Grafana dashboards to deploy/grafana/dashboards/*.json from the compact
// definitions below (`npm run dashboards`); `--check` fails when a committed file is out of date.
// Every query uses the `aisbf_service` label AISBF puts on its own series, so the dashboards work
// whatever job names the scrape configuration (compose, Kubernetes ServiceMonitors) gives.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'deploy', 'grafana', 'dashboards');
const DS = { type: 'prometheus', uid: '${datasource}' };
const RATE = '$__rate_interval';

const datasourceVariable = {
  name: 'datasource',
  label: 'Data source',
  type: 'datasource',
  query: 'prometheus',
  current: {},
  hide: 0,
  refresh: 1,
  includeAll: false,
  multi: false,
};

function labelVariable(name, label, metric, labelName = name) {
  return {
    name,
    label,
    type: 'query',
    datasource: DS,
    query: { query: `label_values(${metric}, ${labelName})`, refId: `${name}-values` },
    definition: `label_values(${metric}, ${labelName})`,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    includeAll: true,
    allValue: '.*',
    multi: true,
    refresh: 2,
    sort: 1,
    hide: 0,
  };
}

const quantile = (q, metric, by, filter = '') =>
  `histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (rate(${metric}_bucket${filter}[${RATE}])))`;

/** A panel: `targets` is a list of [expr, legend]. */
function panel(type, title, description, unit, targets, size = { w: 12, h: 8 }, extra = {}) {
  return { type, title, description, unit, targets, size, extra };
}
const series = (...args) => panel('timeseries', ...args);
const stat = (title, description, unit, targets, extra) => panel('stat', title, description, unit, targets, { w: 6, h: 4 }, extra);

function build(uid, title, description, variables, panels) {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const laidOut = panels.map((p, index) => {
    if (x + p.size.w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { h: p.size.h, w: p.size.w, x, y };
    x += p.size.w;
    rowHeight = Math.max(rowHeight, p.size.h);
    const common = {
      id: index + 1,
      type: p.type,
      title: p.title,
      description: p.description,
      datasource: DS,
      gridPos,
      targets: p.targets.map(([expr, legendFormat], i) => ({
        refId: String.fromCharCode(65 + i),
        datasource: DS,
        expr,
        legendFormat: legendFormat ?? '__auto',
        range: true,
      })),
      fieldConfig: { defaults: { unit: p.unit, ...(p.extra.defaults ?? {}) }, overrides: [] },
    };
    if (p.type === 'stat') {
      return {
        ...common,
        options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', textMode: 'auto' },
      };
    }
    return {
      ...common,
      options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    };
  });
  return {
    uid,
    title,
    description,
    tags: ['aisbf'],
    editable: true,
    graphTooltip: 1,
    refresh: '30s',
    schemaVersion: 39,
    time: { from: 'now-1h', to: 'now' },
    timezone: '',
    version: 1,
    annotations: { list: [] },
    links: [{ type: 'dashboards', tags: ['aisbf'], asDropdown: true, title: 'AISBF dashboards', includeVars: false, keepTime: true }],
    templating: { list: [datasourceVariable, ...variables] },
    panels: laidOut,
  };
}

const kind = '{route_kind=~"$route_kind"}';
const kindAnd = (labels) => `{route_kind=~"$route_kind",${labels}}`;
const prov = '{provider=~"$provider"}';
const provAnd = (labels) => `{provider=~"$provider",${labels}}`;
const svc = '{aisbf_service=~"$service"}';

const overview = build(
  'aisbf-overview',
  'AISBF / Overview',
  'Traffic, errors, latency, time to first token and tokens of chat completions, as clients see them.',
  [labelVariable('route_kind', 'Route kind', 'aisbf_requests_total')],
  [
    stat('Requests', 'Chat completions per second.', 'reqps', [[`sum(rate(aisbf_requests_total${kind}[${RATE}]))`, 'requests/s']]),
    stat(
      'Error ratio',
      'Share of chat completions failed by AISBF or its backends (client mistakes excluded).',
      'percentunit',
      [
        [
          `(sum(rate(aisbf_requests_total${kindAnd('outcome="error"')}[${RATE}])) or vector(0)) / sum(rate(aisbf_requests_total${kind}[${RATE}]))`,
          'errors',
        ],
      ],
      { defaults: { thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 0.01 }, { color: 'red', value: 0.05 }] } } },
    ),
    stat('Active streams', 'Streamed completions being relayed now.', 'short', [[`sum(aisbf_active_streams${kind})`, 'streams']]),
    stat('Time to first token p95', 'Streams: from request received to first chunk sent.', 's', [
      [quantile(0.95, 'aisbf_gen_ai_server_time_to_first_token_seconds', [], kind), 'p95'],
    ]),
    series('Requests by outcome', 'ok, error (AISBF or backend), client_error (bad request), cancelled (client left).', 'reqps', [
      [`sum by (outcome) (rate(aisbf_requests_total${kind}[${RATE}]))`, '{{outcome}}'],
    ]),
    series('Requests by route kind', 'provider, rotation or autoselect routes.', 'reqps', [
      [`sum by (route_kind) (rate(aisbf_requests_total${kind}[${RATE}]))`, '{{route_kind}}'],
    ]),
    series('Request duration', 'Whole chat completion as the client sees it, all attempts included.', 's', [
      [quantile(0.5, 'aisbf_gen_ai_server_request_duration_seconds', [], kind), 'p50'],
      [quantile(0.95, 'aisbf_gen_ai_server_request_duration_seconds', [], kind), 'p95'],
      [quantile(0.99, 'aisbf_gen_ai_server_request_duration_seconds', [], kind), 'p99'],
    ]),
    series('Time to first token', 'Streams: first chunk sent to the client.', 's', [
      [quantile(0.5, 'aisbf_gen_ai_server_time_to_first_token_seconds', [], kind), 'p50'],
      [quantile(0.95, 'aisbf_gen_ai_server_time_to_first_token_seconds', [], kind), 'p95'],
      [quantile(0.99, 'aisbf_gen_ai_server_time_to_first_token_seconds', [], kind), 'p99'],
    ]),
    series('Gateway overhead', "Time AISBF adds: total minus the backend's own time (successful requests).", 's', [
      [quantile(0.5, 'aisbf_gateway_overhead_seconds', [], kind), 'p50'],
      [quantile(0.99, 'aisbf_gateway_overhead_seconds', [], kind), 'p99'],
    ]),
    series('Tokens', 'Input and output tokens per second, as backends report them.', 'short', [
      [`sum by (token_type) (rate(aisbf_gen_ai_client_token_usage_sum${kind}[${RATE}]))`, '{{token_type}}'],
    ]),
    series('Errors by code', 'Failed chat completions by AISBF error code.', 'reqps', [
      [`sum by (code) (rate(aisbf_request_errors_total${kind}[${RATE}]))`, '{{code}}'],
    ]),
    series('HTTP responses by route and status', 'Every edge endpoint, failed authentication included.', 'reqps', [
      [`sum by (route, status_code) (rate(aisbf_http_server_request_duration_seconds_count[${RATE}]))`, '{{route}} {{status_code}}'],
    ]),
  ],
);

const routing = build(
  'aisbf-routing',
  'AISBF / Routing and failover',
  'Route plans, failovers between candidates, cooldowns, and the classifier behind autoselect policies.',
  [labelVariable('route_kind', 'Route kind', 'aisbf_route_decisions_total')],
  [
    stat('Candidates cooling down', 'Candidates in cooldown after errors, all providers.', 'short', [[`sum(aisbf_cooldowns_open) or vector(0)`, 'cooling']]),
    stat('Failovers', 'Moves to a next candidate per second.', 'ops', [[`sum(rate(aisbf_failovers_total${kind}[${RATE}])) or vector(0)`, 'failovers/s']]),
    stat('Refused: all candidates cooling', 'Requests refused because every candidate of their route was cooling down.', 'reqps', [
      [`sum(rate(aisbf_request_errors_total${kindAnd('code="all_candidates_cooling"')}[${RATE}])) or vector(0)`, 'refused/s'],
    ]),
    stat('Route plans', 'Plans built by the resolver per second.', 'ops', [[`sum(rate(aisbf_route_decisions_total${kindAnd('outcome="planned"')}[${RATE}]))`, 'plans/s']]),
    series('Route decisions', 'Resolver outcomes (planned, not_found, all_cooling, error) and plans of direct routes an edge reused.', 'ops', [
      [`sum by (route_kind, outcome) (rate(aisbf_route_decisions_total${kind}[${RATE}]))`, '{{route_kind}} {{outcome}}'],
    ]),
    series('First candidate chosen', 'Provider at the head of each plan (the weighted choice for rotations), reused plans included.', 'ops', [
      [`sum by (provider) (rate(aisbf_route_decisions_total${kindAnd('outcome=~"planned|reused"')}[${RATE}]))`, '{{provider}}'],
    ]),
    series('Failovers by reason', 'Why a request moved on to its next candidate.', 'ops', [
      [`sum by (reason) (rate(aisbf_failovers_total${kind}[${RATE}]))`, '{{reason}}'],
    ]),
    series('Failovers by failing provider', 'Which provider the request left.', 'ops', [
      [`sum by (provider) (rate(aisbf_failovers_total${kind}[${RATE}]))`, '{{provider}}'],
    ]),
    series('Cooldowns open by provider', 'Candidates cooling down now.', 'short', [[`sum by (provider) (aisbf_cooldowns_open)`, '{{provider}}']]),
    series('Cooldowns opened', 'Cooldowns started (or restarted after a failed probe) per second, by provider.', 'ops', [
      [`sum by (provider) (rate(aisbf_cooldowns_started_total[${RATE}]))`, '{{provider}}'],
    ]),
    series('Resolver round trip', 'Edge to route-resolver over the bus.', 's', [
      [quantile(0.5, 'aisbf_bus_request_duration_seconds', ['subject'], '{subject=~"aisbf.route.*"}'), 'p50 {{subject}}'],
      [quantile(0.99, 'aisbf_bus_request_duration_seconds', ['subject'], '{subject=~"aisbf.route.*"}'), 'p99 {{subject}}'],
    ]),
    series('Classifier decisions', 'Privacy verdicts and model selections of autoselect policies.', 'ops', [
      [`sum by (kind, decision) (rate(aisbf_classifier_decisions_total[${RATE}]))`, '{{kind}} {{decision}}'],
    ]),
    series('Classifier duration', 'Time to classify one request.', 's', [
      [quantile(0.95, 'aisbf_classifier_duration_seconds', ['kind', 'method']), 'p95 {{kind}} {{method}}'],
    ]),
  ],
);

const providers = build(
  'aisbf-providers',
  'AISBF / Providers',
  'Calls from connectors to backends: volume, status, failures, latency and tokens per provider.',
  [labelVariable('provider', 'Provider', 'aisbf_upstream_requests_total')],
  [
    series('Backend calls by status', 'Upstream HTTP status ("none" when no response arrived).', 'reqps', [
      [`sum by (provider, status_code) (rate(aisbf_upstream_requests_total${prov}[${RATE}]))`, '{{provider}} {{status_code}}'],
    ]),
    series('Backend failure ratio', 'Share of backend calls that failed (client cancellations excluded).', 'percentunit', [
      [
        `(sum by (provider) (rate(aisbf_upstream_requests_total${provAnd('outcome!~"ok|cancelled"')}[${RATE}])) or sum by (provider) (rate(aisbf_upstream_requests_total${prov}[${RATE}])) * 0) / sum by (provider) (rate(aisbf_upstream_requests_total${prov}[${RATE}]))`,
        '{{provider}}',
      ],
    ]),
    series('Backend failures by cause', 'AISBF error code of failed backend calls.', 'reqps', [
      [`sum by (provider, outcome) (rate(aisbf_upstream_requests_total${provAnd('outcome!="ok"')}[${RATE}]))`, '{{provider}} {{outcome}}'],
    ]),
    series('Backend call duration p95', 'From sending the call to its last byte.', 's', [
      [quantile(0.95, 'aisbf_gen_ai_client_operation_duration_seconds', ['provider'], prov), '{{provider}}'],
    ]),
    series('Backend time to first chunk p95', 'From sending the call to the first response byte.', 's', [
      [quantile(0.95, 'aisbf_gen_ai_client_operation_time_to_first_chunk_seconds', ['provider'], prov), '{{provider}}'],
    ]),
    series('Time to first token p95 (clients)', 'Streams answered by this provider, as clients see them.', 's', [
      [quantile(0.95, 'aisbf_gen_ai_server_time_to_first_token_seconds', ['provider'], prov), '{{provider}}'],
    ]),
    series('Calls in progress', 'Backend calls open right now.', 'short', [[`sum by (provider) (aisbf_upstream_active_requests${prov})`, '{{provider}}']]),
    series('Tokens by provider', 'Input and output tokens per second.', 'short', [
      [`sum by (provider, token_type) (rate(aisbf_gen_ai_client_token_usage_sum${prov}[${RATE}]))`, '{{provider}} {{token_type}}'],
    ]),
    series('Requests answered by provider', 'Chat completions by the provider that answered (or last failed) and outcome.', 'reqps', [
      [`sum by (provider, outcome) (rate(aisbf_requests_total${prov}[${RATE}]))`, '{{provider}} {{outcome}}'],
    ]),
  ],
);

const runtime = build(
  'aisbf-runtime',
  'AISBF / Service runtime',
  'Each service process: instances, CPU, memory, event loop, garbage collection, dependencies and bus latency.',
  [labelVariable('service', 'Service', 'aisbf_build_info', 'aisbf_service')],
  [
    stat('Instances', 'Processes reporting, by service.', 'short', [[`count by (aisbf_service) (aisbf_build_info${svc})`, '{{aisbf_service}}']], { w: 12, h: 4 }),
    stat('Dependencies down', 'Readiness checks failing now (bus, database, Redis...).', 'short', [
      [`count(aisbf_dependency_up${svc} == 0) or vector(0)`, 'down'],
    ], { w: 12, h: 4 }),
    series('CPU', 'CPU seconds per second, per process.', 'percentunit', [
      [`sum by (aisbf_service, instance) (rate(process_cpu_seconds_total${svc}[${RATE}]))`, '{{aisbf_service}} {{instance}}'],
    ]),
    series('Resident memory', 'Per process.', 'bytes', [[`sum by (aisbf_service, instance) (process_resident_memory_bytes${svc})`, '{{aisbf_service}} {{instance}}']]),
    series('Heap used', 'V8 heap in use, per process.', 'bytes', [[`sum by (aisbf_service, instance) (nodejs_heap_size_used_bytes${svc})`, '{{aisbf_service}} {{instance}}']]),
    series('Event loop lag p99', 'A busy or blocked event loop delays every request of the process.', 's', [
      [`max by (aisbf_service, instance) (nodejs_eventloop_lag_p99_seconds${svc})`, '{{aisbf_service}} {{instance}}'],
    ]),
    series('Garbage collection', 'Seconds spent in GC per second.', 'percentunit', [
      [`sum by (aisbf_service, instance) (rate(nodejs_gc_duration_seconds_sum${svc}[${RATE}]))`, '{{aisbf_service}} {{instance}}'],
    ]),
    series('Dependencies', '1 when reachable, 0 when not.', 'short', [
      [`min by (aisbf_service, dependency) (aisbf_dependency_up${svc})`, '{{aisbf_service}} {{dependency}}'],
    ], { w: 12, h: 8 }, { defaults: { min: 0, max: 1 } }),
    series('Bus round trips p95', 'Request/reply latency by subject.', 's', [
      [quantile(0.95, 'aisbf_bus_request_duration_seconds', ['subject'], svc), '{{subject}}'],
    ]),
    series('Bus round trips by outcome', 'ok, error, timeout, no_responders.', 'ops', [
      [`sum by (subject, outcome) (rate(aisbf_bus_request_duration_seconds_count${svc}[${RATE}]))`, '{{subject}} {{outcome}}'],
    ]),
    series('Open file descriptors', 'Sockets and files, per process.', 'short', [[`sum by (aisbf_service, instance) (process_open_fds${svc})`, '{{aisbf_service}} {{instance}}']]),
    series('Active handles', 'Open handles (sockets, timers) per process.', 'short', [
      [`sum by (aisbf_service, instance) (nodejs_active_handles_total${svc})`, '{{aisbf_service}} {{instance}}'],
    ]),
  ],
);

const dashboards = { 'aisbf-overview.json': overview, 'aisbf-routing.json': routing, 'aisbf-providers.json': providers, 'aisbf-runtime.json': runtime };
const check = process.argv.includes('--check');
let stale = 0;
await mkdir(outDir, { recursive: true });
for (const [file, dashboard] of Object.entries(dashboards)) {
  const target = path.join(outDir, file);
  const text = `${JSON.stringify(dashboard, null, 2)}\n`;
  if (check) {
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current !== text) {
      console.error(`${path.relative(root, target)} is out of date: run npm run dashboards`);
      stale++;
    }
  } else {
    await writeFile(target, text);
  }
}
if (stale) process.exit(1);
console.log(check ? 'dashboards up to date' : `wrote ${Object.keys(dashboards).length} dashboards to ${path.relative(root, outDir)}`);

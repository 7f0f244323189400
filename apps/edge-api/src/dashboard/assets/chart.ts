import { h, svg } from './dom.js';
import { niceScale, Series } from './usage-series.js';

export const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#64748b'];

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

function timeLabel(t: number, spanMs: number): string {
  const date = new Date(t);
  if (spanMs > 2 * 86_400_000) return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function shortNumber(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** A line chart in inline SVG: one line per series, time on x, a legend with each series' total. */
export function lineChart(title: string, series: Series[], buckets: number[], bucketMs: number, testId: string, whole = true): HTMLElement {
  const max = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.v)));
  const scale = niceScale(max, 4, whole);
  const start = buckets[0] ?? 0;
  const end = (buckets[buckets.length - 1] ?? 0) + bucketMs;
  const x = (t: number) => PAD.left + ((t + bucketMs / 2 - start) / Math.max(1, end - start)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => HEIGHT - PAD.bottom - (v / scale.max) * (HEIGHT - PAD.top - PAD.bottom);
  const grid = scale.ticks.map((tick) =>
    svg('g', null, svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(tick), y2: y(tick), class: 'grid' }), svg('text', { x: PAD.left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'axis' }, shortNumber(tick))),
  );
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 6));
  const xLabels = buckets
    .filter((_, i) => i % labelEvery === 0)
    .map((t) => svg('text', { x: x(t), y: HEIGHT - 8, 'text-anchor': 'middle', class: 'axis' }, timeLabel(t, end - start)));
  const lines = series.map((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
    const dots = s.points.filter((p) => p.v > 0).map((p) => svg('circle', { cx: x(p.t), cy: y(p.v), r: 2.5, fill: color }, svg('title', null, `${s.name}: ${shortNumber(p.v)} at ${new Date(p.t).toLocaleString()}`)));
    return svg('g', { 'data-series': s.name }, svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 2 }), dots);
  });
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title, class: 'chart-svg' }, grid, xLabels, lines);
  const legend = series.length
    ? h('ul', { class: 'legend' }, series.map((s, i) => h('li', null, h('span', { class: 'swatch', style: `background:${PALETTE[i % PALETTE.length]}` }), h('span', { class: 'legend-name' }, s.name), h('span', { class: 'legend-total' }, shortNumber(s.total)))))
    : h('p', { class: 'muted' }, 'No data in this range.');
  return h('figure', { class: 'chart', 'data-testid': testId }, h('figcaption', null, title), chart, legend);
}

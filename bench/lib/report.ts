/** Writes benchmark results as JSON, a Markdown table and an SVG bar chart of the ratios. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Result = {
  readonly id: string;
  /** Which part of the issue it answers: push, peer, pull, scale, replay. */
  readonly group: string;
  readonly title: string;
  readonly value: number;
  readonly unit: string;
  /** The comparison this result is read against, when there is one (value ÷ other). */
  readonly ratio?: { readonly of: string; readonly value: number };
  /** The issue's target for it and whether this run met it. */
  readonly target?: { readonly text: string; readonly met: boolean };
  /** Secondary figures (p99, peak memory, …). */
  readonly detail?: string;
};

export type Report = {
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
    readonly node: string;
    readonly platform: string;
    readonly loadAverage: readonly number[];
  };
  readonly quick: boolean;
  /** The parts run, when not all of them (`--only`). */
  readonly only: readonly string[] | null;
  readonly sizes: Readonly<Record<string, number>>;
  readonly results: readonly Result[];
  readonly notes: readonly string[];
};

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

export function toMarkdown(report: Report): string {
  const m = report.machine;
  const lines = [
    `# ClinicSync benchmark results`,
    '',
    `Run ${report.startedAt} (${Math.round(report.durationSeconds)} s${report.quick ? ', quick mode: smaller sizes' : ''}) on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, load average at start ${m.loadAverage.map((l) => l.toFixed(1)).join(' / ')}.`,
    '',
    `Sizes: ${Object.entries(report.sizes)
      .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
      .join(', ')}.`,
    '',
    '| measurement | value | compared with | ratio | target | met | detail |',
    '|---|---:|---|---:|---|:---:|---|',
  ];
  for (const r of report.results) {
    const ratio = r.ratio;
    lines.push(
      `| ${r.title} | ${fmt(r.value)} ${r.unit} | ${ratio?.of ?? ''} | ${ratio ? `${fmt(ratio.value)}×` : ''} | ${r.target?.text ?? ''} | ${r.target ? (r.target.met ? 'yes' : '**no**') : ''} | ${r.detail ?? ''} |`,
    );
  }
  if (report.notes.length) {
    lines.push('', '## Notes', '');
    for (const note of report.notes) lines.push(`- ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

export function toSvg(report: Report): string {
  const bars = report.results.filter((r) => r.ratio);
  const width = 900;
  const rowHeight = 26;
  const left = 440;
  const max = Math.max(1, ...bars.map((r) => r.ratio!.value));
  const scale = (width - left - 150) / max;
  const rows = bars.map((r, i) => {
    const y = 44 + i * rowHeight;
    const w = Math.max(1, r.ratio!.value * scale);
    const colour = r.target?.met === false ? '#c0392b' : r.target?.met ? '#2e7d6b' : '#7f8c8d';
    return [
      `<text x="${left - 8}" y="${y + 14}" text-anchor="end" font-size="11">${escapeXml(shorten(r.title, 72))}</text>`,
      `<rect x="${left}" y="${y + 2}" width="${w.toFixed(1)}" height="16" fill="${colour}" rx="2"/>`,
      `<text x="${(left + w + 6).toFixed(1)}" y="${y + 14}" font-size="12">${fmt(r.ratio!.value)}× ${escapeXml(r.ratio!.of)}</text>`,
    ].join('');
  });
  const height = 70 + bars.length * rowHeight;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="22" font-size="15" font-weight="bold">ClinicSync benchmark ratios (${escapeXml(report.startedAt)}${report.quick ? ', quick' : ''})</text>
<text x="10" y="38" font-size="11" fill="#555">green: target met, red: target missed, grey: no target (context)</text>
${rows.join('\n')}
</svg>
`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function writeReport(dir: string, report: Report): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'results.md'), toMarkdown(report));
  writeFileSync(join(dir, 'chart.svg'), toSvg(report));
}

/** Writes benchmark results as JSON, a Markdown table and an SVG bar chart of the throughput ratios. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Result = {
  readonly id: string;
  readonly title: string;
  readonly value: number;
  readonly unit: string;
  /** The comparison this result is judged by, when there is one. */
  readonly ratio?: { readonly of: string; readonly value: number; readonly target?: string; readonly met?: boolean };
  readonly notes?: string;
};

export type Report = {
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly node: string; readonly platform: string };
  readonly quick: boolean;
  readonly results: readonly Result[];
};

function fmt(n: number): string {
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

export function toMarkdown(report: Report): string {
  const lines = [
    `# ClinicSync benchmark results`,
    '',
    `Run ${report.startedAt} on ${report.machine.cpus} CPUs, Node ${report.machine.node}${report.quick ? ' (quick mode: smaller sizes)' : ''}.`,
    '',
    '| measurement | value | compared with | ratio | target | met |',
    '|---|---:|---|---:|---|:---:|',
  ];
  for (const r of report.results) {
    const ratio = r.ratio;
    lines.push(
      `| ${r.title} | ${fmt(r.value)} ${r.unit} | ${ratio?.of ?? ''} | ${ratio ? fmt(ratio.value) + '×' : ''} | ${ratio?.target ?? ''} | ${ratio?.met === undefined ? '' : ratio.met ? 'yes' : 'no'} |`,
    );
  }
  const notes = report.results.filter((r) => r.notes);
  if (notes.length) {
    lines.push('', '## Notes', '');
    for (const r of notes) lines.push(`- **${r.title}**: ${r.notes}`);
  }
  return `${lines.join('\n')}\n`;
}

export function toSvg(report: Report): string {
  const bars = report.results.filter((r) => r.ratio);
  const width = 760;
  const rowHeight = 28;
  const left = 330;
  const max = Math.max(1, ...bars.map((r) => r.ratio!.value));
  const scale = (width - left - 80) / max;
  const rows = bars.map((r, i) => {
    const y = 40 + i * rowHeight;
    const w = Math.max(1, r.ratio!.value * scale);
    const colour = r.ratio!.met === false ? '#c0392b' : '#2e7d6b';
    return [
      `<text x="${left - 8}" y="${y + 15}" text-anchor="end" font-size="12">${escapeXml(r.title)}</text>`,
      `<rect x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="16" fill="${colour}" rx="2"/>`,
      `<text x="${left + w + 6}" y="${y + 15}" font-size="12">${fmt(r.ratio!.value)}× ${escapeXml(r.ratio!.of)}</text>`,
    ].join('');
  });
  const height = 60 + bars.length * rowHeight;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<text x="10" y="22" font-size="15" font-weight="bold">ClinicSync: ratios against the ceiling and the peer</text>
${rows.join('\n')}
</svg>
`;
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

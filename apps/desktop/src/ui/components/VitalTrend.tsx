import type { VitalKindSpec } from '@clinicsync/protocol';
import type { LocalRow } from '../../shared/local-api.ts';

const WIDTH = 240;
const HEIGHT = 64;
const PAD = 4;

/** A small trend of one kind of vital sign: its values over time as a line, the adult normal band shaded. */
export function VitalTrend({ spec, rows }: { readonly spec: VitalKindSpec; readonly rows: readonly LocalRow[] }) {
  const points = [...rows]
    .filter((r) => typeof r.value === 'number')
    .sort((a, b) => String(a.recorded_at).localeCompare(String(b.recorded_at)));
  const values = points.flatMap((r) => [Number(r.value), ...(typeof r.value2 === 'number' ? [r.value2] : [])]);
  const band = spec.normal;
  const bands = [band, spec.second?.normal].filter((b): b is NonNullable<typeof b> => b !== undefined);
  const lo = Math.min(...values, ...bands.map((b) => b.min));
  const hi = Math.max(...values, ...bands.map((b) => b.max));
  const span = hi - lo || 1;
  const y = (v: number) => PAD + (HEIGHT - 2 * PAD) * (1 - (v - lo) / span);
  const x = (i: number) => (points.length === 1 ? WIDTH / 2 : PAD + ((WIDTH - 2 * PAD) * i) / (points.length - 1));
  const line = (pick: (r: LocalRow) => unknown) =>
    points
      .map((r, i) => [i, pick(r)] as const)
      .filter(([, v]) => typeof v === 'number')
      .map(([i, v]) => `${x(i).toFixed(1)},${y(v as number).toFixed(1)}`)
      .join(' ');
  return (
    <svg
      className="vital-trend"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`${spec.label} trend, ${points.length} readings`}
    >
      {bands.map((b) => (
        <rect
          key={`${b.min}-${b.max}`}
          className="normal-band"
          x={0}
          width={WIDTH}
          y={y(b.max)}
          height={Math.max(1, y(b.min) - y(b.max))}
        />
      ))}
      <polyline className="trend-line" fill="none" points={line((r) => r.value)} />
      {spec.second && <polyline className="trend-line trend-line-second" fill="none" points={line((r) => r.value2)} />}
      {points.map((r, i) => (
        <circle key={r.id} className="trend-point" cx={x(i)} cy={y(Number(r.value))} r={2.5} />
      ))}
    </svg>
  );
}

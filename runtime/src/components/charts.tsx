// Small SVG charts for the authorities' dashboard: they draw from the data alone (no network, no
// chart library), carry an accessible description, and keep the figures visible as text.

const PALETTE = ['#bfbfbf', '#91caff', '#4096ff', '#1677ff', '#0958d9', '#002c8c', '#10239e'];
export const levelColor = (level: number) => PALETTE[Math.min(level, PALETTE.length - 1)];

export interface Bar {
  label: string;
  value: number;
  color?: string;
  /** Shown above the bar instead of the value. */
  text?: string;
}

/** Vertical bars, e.g. enterprises per level. */
export function BarChart({ bars, title, height = 200 }: { bars: Bar[]; title: string; height?: number }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const w = 64;
  const gap = 18;
  const top = 22;
  const bottom = 40;
  const width = bars.length * (w + gap) + gap;
  const plot = height - top - bottom;
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width * 1.4 }} role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.text ?? b.value}`).join(', ')}`}>
      <line x1={gap / 2} x2={width - gap / 2} y1={top + plot} y2={top + plot} stroke="#d9d9d9" />
      {bars.map((b, i) => {
        const h = (b.value / max) * plot;
        const x = gap + i * (w + gap);
        return (
          <g key={b.label}>
            <rect x={x} y={top + plot - h} width={w} height={Math.max(h, b.value ? 1 : 0)} rx={3} fill={b.color ?? '#1677ff'} />
            <text x={x + w / 2} y={top + plot - h - 6} textAnchor="middle" fontSize={12} fill="#1f2937">
              {b.text ?? b.value}
            </text>
            <text x={x + w / 2} y={top + plot + 16} textAnchor="middle" fontSize={12} fill="#4b5563">
              {b.label.length > 7 ? b.label.slice(0, 7) + '…' : b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Horizontal bars of scores in [0, 1], e.g. domains weakest first, with an optional reference mark. */
export function ScoreBars({ items, title, mark }: { items: { label: string; value: number; note?: string }[]; title: string; mark?: { value: number; label: string } }) {
  const rowH = 26;
  const labelW = 150;
  const barW = 300;
  const height = items.length * rowH + 24;
  const width = labelW + barW + 70;
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width * 1.3 }} role="img" aria-label={`${title}: ${items.map((i) => `${i.label} ${i.value.toFixed(2)}`).join(', ')}`}>
      {items.map((it, i) => {
        const y = 8 + i * rowH;
        // Below half the mark, below the mark, at or above it (without a mark: thirds of the scale).
        const gate = mark?.value ?? 2 / 3;
        const color = it.value < gate / 2 ? '#ff7875' : it.value < gate ? '#ffc069' : '#73d13d';
        return (
          <g key={it.label + i}>
            <text x={labelW - 8} y={y + 15} textAnchor="end" fontSize={12} fill="#1f2937">
              {it.label.length > 12 ? it.label.slice(0, 12) + '…' : it.label}
            </text>
            <rect x={labelW} y={y + 3} width={barW} height={16} rx={3} fill="#f0f0f0" />
            <rect x={labelW} y={y + 3} width={Math.max(0, Math.min(1, it.value)) * barW} height={16} rx={3} fill={color} />
            <text x={labelW + barW + 8} y={y + 15} fontSize={12} fill="#1f2937">
              {it.value.toFixed(2)}
              {it.note ? ` ${it.note}` : ''}
            </text>
          </g>
        );
      })}
      {mark && (
        <g>
          <line x1={labelW + mark.value * barW} x2={labelW + mark.value * barW} y1={2} y2={height - 14} stroke="#595959" strokeDasharray="4 3" />
          <text x={labelW + mark.value * barW} y={height - 2} textAnchor="middle" fontSize={11} fill="#595959">
            {mark.label}
          </text>
        </g>
      )}
    </svg>
  );
}

/** Lines over time, e.g. shares per quarter; values in [0, max]. */
export function LineChart({ labels, series, title, max, format = (v) => v.toFixed(2) }: { labels: string[]; series: { name: string; values: (number | null)[]; color: string }[]; title: string; max?: number; format?: (v: number) => string }) {
  const width = 560;
  const height = 220;
  const left = 44;
  const right = 32;
  const top = 16;
  const bottom = 36;
  // A round top for the axis (1, 2, 5 × 10ⁿ) so its ticks read as plain numbers.
  const raw = max ?? Math.max(1e-9, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const step = 10 ** Math.floor(Math.log10(raw));
  const top1 = max ?? ([1, 2, 5, 10].map((m) => m * step).find((v) => v >= raw) ?? raw);
  const x = (i: number) => left + (labels.length <= 1 ? (width - left - right) / 2 : (i * (width - left - right)) / (labels.length - 1));
  const y = (v: number) => top + (1 - v / top1) * (height - top - bottom);
  return (
    <figure className="chart-figure">
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: width * 1.3 }} role="img" aria-label={`${title}: ${series.map((s) => `${s.name} ${s.values.map((v, i) => `${labels[i]} ${v === null ? '—' : format(v)}`).join(', ')}`).join('; ')}`}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={left} x2={width - right} y1={y(top1 * f)} y2={y(top1 * f)} stroke="#f0f0f0" />
            <text x={left - 6} y={y(top1 * f) + 4} textAnchor="end" fontSize={11} fill="#8c8c8c">
              {format(top1 * f)}
            </text>
          </g>
        ))}
        {labels.map((l, i) => (
          <text key={l} x={x(i)} y={height - 14} textAnchor={i === labels.length - 1 && labels.length > 1 ? 'end' : 'middle'} fontSize={11} fill="#4b5563">
            {l}
          </text>
        ))}
        {series.map((s) => {
          const points = s.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`)).filter(Boolean);
          return (
            <g key={s.name}>
              <polyline points={points.join(' ')} fill="none" stroke={s.color} strokeWidth={2} />
              {s.values.map((v, i) => (v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={s.color} />))}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        {series.map((s) => (
          <span key={s.name}>
            <span className="legend-swatch" style={{ background: s.color }} /> {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

// A small inline SVG radar of scores in [0, 1], with a text fallback for screen readers.
import { useI18n } from '../i18n.tsx';

/** `text` is the score as the engine shows it (never contradicting the decision); `score` places the point. */
export function Radar({ items, title, size = 340 }: { items: { name: string; score: number; text?: string }[]; title: string; size?: number }) {
  const { locale, colon } = useI18n();
  if (items.length < 3) return null;
  const pad = 84;
  const r = size / 2 - pad;
  const cx = size / 2;
  const cy = size / 2;
  const angle = (i: number) => -Math.PI / 2 + (2 * Math.PI * i) / items.length;
  const point = (i: number, v: number) => [cx + Math.cos(angle(i)) * r * v, cy + Math.sin(angle(i)) * r * v] as const;
  const ring = (v: number) => items.map((_, i) => point(i, v).join(',')).join(' ');
  const shape = items.map((it, i) => point(i, Math.max(0, Math.min(1, it.score))).join(',')).join(' ');
  const shownText = (it: { score: number; text?: string }) => it.text ?? it.score.toFixed(2);
  const described = items.map((it) => `${it.name} ${shownText(it)}`).join(locale === 'en' ? ', ' : '，');
  return (
    <figure className="radar">
      <svg viewBox={`0 0 ${size} ${size}`} role="img" aria-label={`${title}${colon}${described}`} width="100%" style={{ maxWidth: size, overflow: 'visible' }}>
        {[0.2, 0.4, 0.6, 0.8, 1].map((v) => (
          <polygon key={v} points={ring(v)} fill="none" stroke="#d9d9d9" strokeWidth={v === 1 ? 1.2 : 0.8} />
        ))}
        {items.map((_, i) => {
          const [x, y] = point(i, 1);
          return <line key={i} x1={cx} y1={cy} x2={x} y2={y} stroke="#e5e5e5" />;
        })}
        <polygon points={shape} fill="rgba(21, 89, 179, 0.25)" stroke="#1559b3" strokeWidth={2} />
        {items.map((it, i) => {
          const [x, y] = point(i, Math.max(0, Math.min(1, it.score)));
          return <circle key={it.name} cx={x} cy={y} r={3} fill="#1559b3" />;
        })}
        {items.map((it, i) => {
          const [x, y] = point(i, 1.12);
          const cos = Math.cos(angle(i));
          const anchor = Math.abs(cos) < 0.2 ? 'middle' : cos > 0 ? 'start' : 'end';
          const lines = wrap(it.name);
          return (
            <text key={it.name} x={x} y={y - (lines.length - 1) * 7} textAnchor={anchor} dominantBaseline="middle" fontSize={12} fill="#333">
              {lines.map((line, k) => (
                <tspan key={k} x={x} dy={k === 0 ? 0 : '1.15em'}>
                  {line}
                </tspan>
              ))}
              <tspan x={x} dy="1.2em" fill="#1559b3" fontSize={11}>
                {shownText(it)}
              </tspan>
            </text>
          );
        })}
      </svg>
    </figure>
  );
}

/** Long (English) names on two lines, split at the space nearest the middle. */
function wrap(name: string): string[] {
  if (name.length <= 14 || !name.includes(' ')) return [name];
  const mid = name.length / 2;
  let best = -1;
  for (let i = 0; i < name.length; i++) if (name[i] === ' ' && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
  return [name.slice(0, best), name.slice(best + 1)];
}

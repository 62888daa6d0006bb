// A radar chart as an inline SVG built on the server: no script, no network, prints as vectors.
// The view box grows to hold the longest label on each side, so no label is ever cut off.
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Width of a label at 12 px: CJK characters are a full em, others about half. */
const labelWidth = (s: string) => [...s].reduce((w, ch) => w + (/[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 12 : 6.6), 0);

/** `text` is the score as shown (the engine's, never contradicting the decision); `value` places the point. */
export function radarSvg(items: { label: string; value: number; text: string }[], size = 360, mark?: number): string {
  const c = size / 2;
  const r = size / 2 - 40;
  const angle = (i: number) => -Math.PI / 2 + (2 * Math.PI * i) / items.length;
  const at = (i: number, v: number) => [c + r * v * Math.cos(angle(i)), c + r * v * Math.sin(angle(i))];
  const point = (i: number, v: number) => at(i, v).map((x) => x.toFixed(1)).join(',');
  const rings = [0.2, 0.4, 0.6, 0.8, 1]
    .map((v) => `<polygon points="${items.map((_, i) => point(i, v)).join(' ')}" fill="none" stroke="#d0d7e2" stroke-width="${v === mark ? 1.5 : 0.8}"${v === mark ? ' stroke-dasharray="4 3"' : ''}/>`)
    .join('');
  const spokes = items.map((_, i) => `<line x1="${c}" y1="${c}" x2="${at(i, 1)[0].toFixed(1)}" y2="${at(i, 1)[1].toFixed(1)}" stroke="#d0d7e2" stroke-width="0.8"/>`).join('');
  const area = `<polygon points="${items.map((it, i) => point(i, Math.max(0, Math.min(1, it.value)))).join(' ')}" fill="rgba(21,89,179,0.25)" stroke="#1559b3" stroke-width="2"/>`;
  let [minX, minY, maxX, maxY] = [0, 0, size, size];
  const labels = items
    .map((it, i) => {
      const [x, y] = at(i, 1.1);
      const anchor = Math.abs(x - c) < 8 ? 'middle' : x > c ? 'start' : 'end';
      const text = `${it.label} ${it.text}`;
      const w = labelWidth(text);
      const left = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
      minX = Math.min(minX, left - 4);
      maxX = Math.max(maxX, left + w + 4);
      minY = Math.min(minY, y - 10);
      maxY = Math.max(maxY, y + 10);
      return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" dominant-baseline="middle" font-size="12">${esc(it.label)} <tspan fill="#1559b3">${esc(it.text)}</tspan></text>`;
    })
    .join('');
  const [w, h] = [maxX - minX, maxY - minY];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${minX.toFixed(1)} ${minY.toFixed(1)} ${w.toFixed(1)} ${h.toFixed(1)}" width="${w.toFixed(0)}" height="${h.toFixed(0)}" style="max-width:100%;height:auto" role="img">${rings}${spokes}${area}${labels}</svg>`;
}

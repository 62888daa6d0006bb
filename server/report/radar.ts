// A radar chart as an inline SVG built on the server: no script, no network, prints as vectors.
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function radarSvg(items: { label: string; value: number }[], size = 360): string {
  const c = size / 2;
  const r = size / 2 - 70;
  const angle = (i: number) => -Math.PI / 2 + (2 * Math.PI * i) / items.length;
  const point = (i: number, v: number) => [c + r * v * Math.cos(angle(i)), c + r * v * Math.sin(angle(i))].map((x) => x.toFixed(1)).join(',');
  const rings = [0.2, 0.4, 0.6, 0.8, 1]
    .map((v) => `<polygon points="${items.map((_, i) => point(i, v)).join(' ')}" fill="none" stroke="#d0d7e2" stroke-width="${v === 0.8 ? 1.5 : 0.8}"${v === 0.8 ? ' stroke-dasharray="4 3"' : ''}/>`)
    .join('');
  const spokes = items.map((_, i) => `<line x1="${c}" y1="${c}" x2="${point(i, 1).split(',')[0]}" y2="${point(i, 1).split(',')[1]}" stroke="#d0d7e2" stroke-width="0.8"/>`).join('');
  const area = `<polygon points="${items.map((it, i) => point(i, Math.max(0, Math.min(1, it.value)))).join(' ')}" fill="rgba(21,89,179,0.25)" stroke="#1559b3" stroke-width="2"/>`;
  const labels = items
    .map((it, i) => {
      const [x, y] = point(i, 1.18).split(',').map(Number);
      const anchor = Math.abs(x - c) < 8 ? 'middle' : x > c ? 'start' : 'end';
      return `<text x="${x}" y="${y}" text-anchor="${anchor}" dominant-baseline="middle" font-size="12">${esc(it.label)} ${it.value.toFixed(2)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" role="img">${rings}${spokes}${area}${labels}</svg>`;
}

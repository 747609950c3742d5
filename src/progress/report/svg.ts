/** Small SVG charts for the HTML report: self-contained, no script, readable without colour. */

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const W = 560;
const H = 220;
const PAD = { left: 48, right: 16, top: 16, bottom: 36 };
const plotW = W - PAD.left - PAD.right;
const plotH = H - PAD.top - PAD.bottom;

function frame(title: string, body: string, xLabel: string, yLabel: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="#444"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#444"/>`,
    `<text x="${PAD.left + plotW / 2}" y="${H - 6}" text-anchor="middle" font-size="11">${escapeXml(xLabel)}</text>`,
    `<text x="12" y="${PAD.top + plotH / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 12 ${PAD.top + plotH / 2})">${escapeXml(yLabel)}</text>`,
    body,
    '</svg>',
  ].join('\n');
}

const noData = (title: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} 60" width="${W}" height="60" role="img" aria-label="${escapeXml(title)}: no data"><text x="10" y="35" font-size="13">${escapeXml(title)}: no data yet</text></svg>`;

/** Merged weight over time (solid, with dots) against the scope (dashed). */
export function burnUpChart(points: { at: string; merged_weight: number; scope_weight: number }[]): string {
  if (points.length < 2) return noData('Burn-up');
  const times = points.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const top = Math.max(...points.map((p) => Math.max(p.scope_weight, p.merged_weight)), 1);
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const path = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(times[i]!).toFixed(1)},${y(p.merged_weight).toFixed(1)}`)
    .join(' ');
  const scope = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(times[i]!).toFixed(1)},${y(p.scope_weight).toFixed(1)}`)
    .join(' ');
  const dots = points
    .map(
      (p, i) =>
        `<circle cx="${x(times[i]!).toFixed(1)}" cy="${y(p.merged_weight).toFixed(1)}" r="2.5" fill="#1f6feb"><title>${escapeXml(p.at)}: ${p.merged_weight}</title></circle>`,
    )
    .join('');
  const body = [
    `<path d="${scope}" fill="none" stroke="#888" stroke-dasharray="6 4"/>`,
    `<path d="${path}" fill="none" stroke="#1f6feb" stroke-width="2"/>`,
    dots,
    `<text x="${PAD.left - 4}" y="${y(top) + 4}" text-anchor="end" font-size="10">${top}</text>`,
    `<text x="${PAD.left - 4}" y="${y(0)}" text-anchor="end" font-size="10">0</text>`,
    `<text x="${PAD.left + plotW}" y="${y(top) - 4}" text-anchor="end" font-size="10">scope (dashed)</text>`,
  ].join('\n');
  return frame(
    'Burn-up: merged weight over time',
    body,
    `${new Date(t0).toISOString()} → ${new Date(t1).toISOString()}`,
    'weight',
  );
}

/** Merged weight per equal time bucket: the velocity over the run. */
export function velocityChart(points: { at: string; merged_weight: number }[], buckets = 10): string {
  if (points.length < 2) return noData('Velocity');
  const times = points.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const per = new Array<number>(buckets).fill(0);
  for (let i = 1; i < points.length; i++) {
    const gained = points[i]!.merged_weight - points[i - 1]!.merged_weight;
    const bucket = Math.min(buckets - 1, Math.floor(((times[i]! - t0) / (t1 - t0)) * buckets));
    per[bucket]! += gained;
  }
  const top = Math.max(...per, 1);
  const bw = plotW / buckets;
  const bars = per
    .map((v, i) => {
      const h = (v / top) * plotH;
      return `<rect x="${(PAD.left + i * bw + 2).toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${(bw - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="#2da44e" stroke="#1a7f37"><title>bucket ${i + 1}: ${v}</title></rect><text x="${(PAD.left + i * bw + bw / 2).toFixed(1)}" y="${(PAD.top + plotH - h - 3).toFixed(1)}" text-anchor="middle" font-size="10">${v}</text>`;
    })
    .join('\n');
  const minutes = Math.max(1, Math.round((t1 - t0) / buckets / 60_000));
  return frame(
    'Velocity: merged weight per time bucket',
    bars,
    `${buckets} buckets of about ${minutes} min`,
    'weight merged',
  );
}

/** One horizontal bar per dimension, with its percentage written out. */
export function dimensionBars(dimensions: Record<string, { value: number | null }>): string {
  const entries = Object.entries(dimensions);
  const rowH = 28;
  const height = entries.length * rowH + 12;
  const barW = W - 200;
  const rows = entries
    .map(([name, d], i) => {
      const y = 8 + i * rowH;
      const w = d.value === null ? 0 : d.value * barW;
      const label = d.value === null ? 'no data' : `${Math.round(d.value * 100)}%`;
      return [
        `<text x="8" y="${y + 15}" font-size="12">${escapeXml(name)}</text>`,
        `<rect x="90" y="${y}" width="${barW}" height="18" fill="none" stroke="#999"/>`,
        `<rect x="90" y="${y}" width="${w.toFixed(1)}" height="18" fill="#8250df"/>`,
        `<text x="${96 + barW}" y="${y + 14}" font-size="12">${label}</text>`,
      ].join('');
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="Progress dimensions"><title>Progress dimensions</title>${rows}</svg>`;
}

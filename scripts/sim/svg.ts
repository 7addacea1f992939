/**
 * Inline SVG charts with no dependencies: a line chart (time series, with vertical markers for churn
 * events) and a bar chart (a value per node against an ideal line). Pure functions of their data.
 */
export interface LineSeries {
  name: string
  color: string
  points: [number, number][]
  dashed?: boolean
}

export interface Marker {
  x: number
  label: string
}

export interface LineChartSpec {
  title: string
  xLabel: string
  yLabel: string
  series: LineSeries[]
  markers?: Marker[]
  width?: number
  height?: number
}

export interface BarChartSpec {
  title: string
  yLabel: string
  bars: { label: string; value: number }[]
  ideal?: number
  idealLabel?: string
  width?: number
  height?: number
}

const PAD = { left: 64, right: 16, top: 32, bottom: 58 }

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/** 1, 2, 5 × 10^k steps giving about `count` ticks over [0, max]. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0]
  const raw = max / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw
  const ticks: number[] = []
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)))
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)))
  return ticks
}

function fmt(v: number): string {
  if (Math.abs(v) >= 1e9) return `${(v / 1e9).toFixed(1)}G`
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(1)}M`
  if (Math.abs(v) >= 1e4) return `${(v / 1e3).toFixed(0)}k`
  return Number.isInteger(v) ? String(v) : v.toFixed(1)
}

function frame(w: number, h: number, title: string, yLabel: string, xLabel: string, yTicks: number[], y: (v: number) => number): string[] {
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeXml(title)}" font-family="sans-serif" font-size="11">`,
    `<text x="${w / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="14" y="${PAD.top + (h - PAD.top - PAD.bottom) / 2}" transform="rotate(-90 14 ${PAD.top + (h - PAD.top - PAD.bottom) / 2})" text-anchor="middle">${escapeXml(yLabel)}</text>`,
    `<text x="${PAD.left + (w - PAD.left - PAD.right) / 2}" y="${h - PAD.bottom + 28}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
  ]
  for (const t of yTicks) {
    const yy = y(t).toFixed(1)
    out.push(`<line x1="${PAD.left}" x2="${w - PAD.right}" y1="${yy}" y2="${yy}" stroke="#e5e5e5"/>`)
    out.push(`<text x="${PAD.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`)
  }
  out.push(`<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${h - PAD.bottom}" stroke="#888"/>`)
  out.push(`<line x1="${PAD.left}" x2="${w - PAD.right}" y1="${h - PAD.bottom}" y2="${h - PAD.bottom}" stroke="#888"/>`)
  return out
}

export function lineChart(spec: LineChartSpec): string {
  const w = spec.width ?? 720
  const h = spec.height ?? 260
  const all = spec.series.flatMap((s) => s.points).filter(([x, v]) => Number.isFinite(x) && Number.isFinite(v))
  const xMax = Math.max(1, ...all.map(([x]) => x), ...(spec.markers ?? []).map((m) => m.x))
  const yTicks = niceTicks(Math.max(0, ...all.map(([, v]) => v)))
  const yMax = Math.max(yTicks[yTicks.length - 1], 1e-9)
  const x = (v: number): number => PAD.left + (v / xMax) * (w - PAD.left - PAD.right)
  const y = (v: number): number => h - PAD.bottom - (v / yMax) * (h - PAD.top - PAD.bottom)
  const out = frame(w, h, spec.title, spec.yLabel, spec.xLabel, yTicks, y)
  for (const t of niceTicks(xMax, 8)) {
    if (t > xMax) continue
    out.push(`<text x="${x(t).toFixed(1)}" y="${h - PAD.bottom + 14}" text-anchor="middle">${fmt(t)}</text>`)
  }
  let lastLabelX = Number.NEGATIVE_INFINITY
  let row = 0
  for (const m of spec.markers ?? []) {
    const xx = x(m.x)
    // Labels of events close together go on alternating rows so they stay legible.
    row = xx - lastLabelX < 70 ? (row + 1) % 2 : 0
    lastLabelX = xx
    const xs = xx.toFixed(1)
    out.push(
      `<line x1="${xs}" x2="${xs}" y1="${PAD.top}" y2="${h - PAD.bottom}" stroke="#d62728" stroke-dasharray="4 3"><title>${escapeXml(m.label)}</title></line>`,
    )
    out.push(`<text x="${xs}" y="${PAD.top - 3 + row * 10}" text-anchor="middle" fill="#d62728" font-size="9">${escapeXml(m.label)}</text>`)
  }
  spec.series.forEach((s, i) => {
    const pts = s.points.filter(([px, pv]) => Number.isFinite(px) && Number.isFinite(pv))
    if (pts.length > 0) {
      const d = pts.map(([px, pv], j) => `${j === 0 ? 'M' : 'L'}${x(px).toFixed(1)},${y(pv).toFixed(1)}`).join('')
      out.push(
        `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ''}><title>${escapeXml(s.name)}</title></path>`,
      )
    }
    const lx = PAD.left + 8 + i * 150
    out.push(`<rect x="${lx}" y="${h - 12}" width="10" height="3" fill="${s.color}"/>`)
    out.push(`<text x="${lx + 14}" y="${h - 8}" font-size="10">${escapeXml(s.name)}</text>`)
  })
  out.push('</svg>')
  return out.join('\n')
}

export function barChart(spec: BarChartSpec): string {
  const w = spec.width ?? 720
  const h = spec.height ?? 260
  const max = Math.max(0, ...spec.bars.map((b) => b.value), spec.ideal ?? 0)
  const yTicks = niceTicks(max)
  const yMax = Math.max(yTicks[yTicks.length - 1], 1e-9)
  const y = (v: number): number => h - PAD.bottom - (v / yMax) * (h - PAD.top - PAD.bottom)
  const out = frame(w, h, spec.title, spec.yLabel, 'node', yTicks, y)
  const slot = (w - PAD.left - PAD.right) / Math.max(1, spec.bars.length)
  spec.bars.forEach((b, i) => {
    const bx = PAD.left + i * slot + slot * 0.15
    out.push(
      `<rect x="${bx.toFixed(1)}" y="${y(b.value).toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${(h - PAD.bottom - y(b.value)).toFixed(1)}" fill="#1f77b4"><title>${escapeXml(`${b.label}: ${b.value}`)}</title></rect>`,
    )
    if (spec.bars.length <= 25 || i % Math.ceil(spec.bars.length / 25) === 0) {
      out.push(
        `<text x="${(bx + slot * 0.35).toFixed(1)}" y="${h - PAD.bottom + 12}" text-anchor="middle" font-size="8">${escapeXml(b.label.replace(/^node-/, ''))}</text>`,
      )
    }
  })
  if (spec.ideal !== undefined) {
    const yy = y(spec.ideal).toFixed(1)
    out.push(`<line x1="${PAD.left}" x2="${w - PAD.right}" y1="${yy}" y2="${yy}" stroke="#ff7f0e" stroke-width="2" stroke-dasharray="6 3"/>`)
    out.push(
      `<text x="${w - PAD.right}" y="${Number(yy) - 4}" text-anchor="end" fill="#ff7f0e">${escapeXml(spec.idealLabel ?? `ideal ${fmt(spec.ideal)}`)}</text>`,
    )
  }
  out.push('</svg>')
  return out.join('\n')
}

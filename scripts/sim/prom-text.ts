/**
 * A minimal reader of the Prometheus text exposition format (what /v1/metrics and prom-client's
 * `registry.metrics()` produce): samples as name, labels, value. Comments and malformed lines are skipped.
 */
export interface PromSample {
  name: string
  labels: Record<string, string>
  value: number
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

export function parsePromText(text: string): PromSample[] {
  const out: PromSample[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = LINE.exec(line)
    if (!m) continue
    const value = Number(m[4])
    if (Number.isNaN(value)) continue
    const labels: Record<string, string> = {}
    if (m[3]) for (const l of m[3].matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\')
    out.push({ name: m[1], labels, value })
  }
  return out
}

/**
 * Metric names follow Prometheus naming: one `repram_` prefix, counters end in `_total`, durations
 * in `_seconds`, sizes in `_bytes`, no doubled prefix. libp2p's own metrics (registered by
 * @libp2p/prometheus-metrics on the same registry) keep their upstream names — `libp2p_*` and its
 * three `nodejs_*` memory gauges — so libp2p's dashboards work; they are not ours to rename.
 * Scraped from /v1/metrics of a real node after some traffic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './harness.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness({ nodeId: 'metric-names' })
  await fetch(`${h.url}/v1/data/m?ttl=600`, { method: 'PUT', body: 'v' })
  await (await fetch(`${h.url}/v1/data/m`)).arrayBuffer()
})
afterAll(async () => {
  await h.stop()
})

const LIBP2P_NODEJS = new Set(['nodejs_memory_usage_bytes', 'nodejs_memory_total_bytes', 'nodejs_fs_usage_bytes'])
/** prom-client's default metrics: a few gauges end in _total (nodejs_active_handles_total), upstream's choice. */
const PROM_CLIENT_DEFAULT = /^repram_(process|nodejs)_/

/** name → type, from the `# TYPE` lines of a Prometheus text scrape. */
function typesOf(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of text.split('\n')) {
    const m = /^# TYPE (\S+) (\S+)$/.exec(line)
    if (m) out.set(m[1], m[2])
  }
  return out
}

describe('metric names', () => {
  it('every metric of a real node has one repram_ prefix (or is libp2p_), counters end in _total, units are base units', async () => {
    const res = await fetch(`${h.url}/v1/metrics`)
    expect(res.status).toBe(200)
    const types = typesOf(await res.text())
    const ours = [...types].filter(([name]) => !name.startsWith('libp2p_') && !LIBP2P_NODEJS.has(name))
    expect(ours.length).toBeGreaterThan(10)
    for (const [name, type] of ours) {
      expect(name).toMatch(/^repram_[a-z0-9_]+$/)
      expect(name).not.toMatch(/^repram_process_process_|^repram_repram_|^repram_process_nodejs_|^repram_nodejs_nodejs_/)
      if (type === 'counter') expect(name, `${name} is a counter`).toMatch(/_total$/)
      else if (!PROM_CLIENT_DEFAULT.test(name)) expect(name, `${name} is a ${type}`).not.toMatch(/_total$/)
      expect(name).not.toMatch(/_(ms|milliseconds|kb|mb|kib|mib)(_|$)/)
    }
    for (const name of [
      'repram_process_cpu_seconds_total',
      'repram_process_resident_memory_bytes',
      'repram_nodejs_eventloop_lag_seconds',
      'repram_keys',
      'repram_bytes',
      'repram_expirations_total',
      'repram_http_requests_total',
    ])
      expect(types.has(name), name).toBe(true)
  })
})

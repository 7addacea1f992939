/**
 * Churn schedules. A scenario file is JSON, either `{"events": [...]}` or a bare array, each event
 * `{"at": <seconds from the workload start>, "action": "kill" | "stop" | "start", "node"?: <index
 * into the live nodes in start order, or a node name such as "node-3">}`. `kill` is abrupt (kill -9 /
 * drop everything), `stop` graceful, `start` adds a fresh node; without `node`, kill/stop pick a
 * random live node (from the seeded churn stream). `--churn` generates the same events: every
 * interval, kill or stop (alternating) one node and start a fresh one.
 */
import { readFile } from 'node:fs/promises'
import { UsageError } from './options.js'

export type ChurnAction = 'kill' | 'stop' | 'start'
export const CHURN_ACTIONS: readonly ChurnAction[] = ['kill', 'stop', 'start']

export interface ChurnEvent {
  /** Seconds after the workload starts. */
  at: number
  action: ChurnAction
  node?: number | string
}

export function parseScenario(text: string, source = 'scenario'): ChurnEvent[] {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw new UsageError(`${source}: not valid JSON (${(err as Error).message})`)
  }
  const list = Array.isArray(doc) ? doc : (doc as { events?: unknown } | null)?.events
  if (!Array.isArray(list)) throw new UsageError(`${source}: expected an array of events or {"events": [...]}`)
  const events: ChurnEvent[] = list.map((raw, i) => {
    const where = `${source}: event ${i}`
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${where}: expected an object`)
    const e = raw as Record<string, unknown>
    for (const k of Object.keys(e)) if (!['at', 'action', 'node'].includes(k)) throw new UsageError(`${where}: unknown field ${JSON.stringify(k)}`)
    if (typeof e.at !== 'number' || !Number.isFinite(e.at) || e.at < 0) throw new UsageError(`${where}: "at" must be a number of seconds ≥ 0`)
    if (typeof e.action !== 'string' || !(CHURN_ACTIONS as readonly string[]).includes(e.action)) {
      throw new UsageError(`${where}: "action" must be one of ${CHURN_ACTIONS.join(', ')}`)
    }
    const ev: ChurnEvent = { at: e.at, action: e.action as ChurnAction }
    if (e.node !== undefined) {
      const okIndex = typeof e.node === 'number' && Number.isSafeInteger(e.node) && e.node >= 0
      const okName = typeof e.node === 'string' && e.node.length > 0 && e.node.length <= 64
      if (!okIndex && !okName) throw new UsageError(`${where}: "node" must be a live-node index ≥ 0 or a node name`)
      if (ev.action === 'start') throw new UsageError(`${where}: "start" adds a fresh node and takes no "node"`)
      ev.node = e.node as number | string
    }
    return ev
  })
  // Stable sort: events at the same second keep the file's order (kill then start).
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }) => e)
}

export async function loadScenario(file: string): Promise<ChurnEvent[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new UsageError(`--scenario: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  return parseScenario(text, file)
}

/**
 * `--churn`: at interval, 2×interval, … (strictly before the end), one removal then one fresh start.
 * Removals alternate kill, stop, kill, … so even a one-event smoke run exercises the abrupt case; which
 * node goes is the churn driver's seeded choice.
 */
export function generateChurn(durationS: number, intervalS: number): ChurnEvent[] {
  const events: ChurnEvent[] = []
  let n = 0
  for (let at = intervalS; at < durationS; at += intervalS) {
    events.push({ at, action: n++ % 2 === 0 ? 'kill' : 'stop' })
    events.push({ at, action: 'start' })
  }
  return events
}

/**
 * Counters bumped as plain numbers on hot paths and copied into prom-client when scraped: a bound
 * prom-client child still hashes its labels on every inc (~0.9 µs), which a GET or PUT must not pay.
 */
import { Counter, type Registry } from 'prom-client'

/** A Prometheus counter whose values are copied in from plain numbers (`copy`) each time it is scraped. */
export function scrapedCounter(
  registry: Registry | undefined,
  name: string,
  help: string,
  labelNames: string[],
  copy: (add: (labels: Record<string, string>, value: number) => void) => void,
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: registry ? [registry] : [],
    collect() {
      this.reset()
      copy((labels, value) => this.inc(labels, value))
    },
  })
}

/**
 * A counter by a fixed set of outcomes, bumped as plain numbers on the hot path (a GET must not pay
 * for prom-client hashing a label object) and copied into its Prometheus counter when scraped.
 */
export class OutcomeCounter<O extends string> {
  private readonly counts: Record<O, number>

  constructor(registry: Registry | undefined, init: { name: string; help: string; outcomes: readonly O[] }) {
    const counts = Object.fromEntries(init.outcomes.map((o) => [o, 0])) as Record<O, number>
    this.counts = counts
    scrapedCounter(registry, init.name, init.help, ['outcome'], (add) => {
      for (const o of init.outcomes) add({ outcome: o }, counts[o])
    })
  }

  inc(outcome: O): void {
    this.counts[outcome]++
  }

  get(outcome: O): number {
    return this.counts[outcome]
  }
}

/** As OutcomeCounter, by kind and outcome; a pair never counted is not exported. */
export class KindOutcomeCounter<K extends string, O extends string> {
  private readonly counts: Record<K, Record<O, number>>

  constructor(registry: Registry | undefined, init: { name: string; help: string; kinds: readonly K[]; outcomes: readonly O[] }) {
    const counts = Object.fromEntries(init.kinds.map((k) => [k, Object.fromEntries(init.outcomes.map((o) => [o, 0]))])) as Record<K, Record<O, number>>
    this.counts = counts
    scrapedCounter(registry, init.name, init.help, ['kind', 'outcome'], (add) => {
      for (const k of init.kinds) for (const o of init.outcomes) if (counts[k][o] > 0) add({ kind: k, outcome: o }, counts[k][o])
    })
  }

  inc(kind: K, outcome: O): void {
    this.counts[kind][outcome]++
  }

  get(kind: K, outcome: O): number {
    return this.counts[kind][outcome]
  }
}

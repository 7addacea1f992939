/**
 * The fault suite's short subset (the whole suite is `npm run faults`): real `repram node` processes
 * (dist/, built by the global setup) hurt by the harness in scripts/faults/, each history checked
 * afterwards. A scenario passes when it ran and the checker found no violation; a failure prints
 * every violation with its history lines. Namespace and libfaketime scenarios skip, saying why,
 * where the machine cannot run them (not root, iproute2/nftables/faketime missing).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { capabilities, faketimeSkipReason, netnsSkipReason } from '../../scripts/faults/capabilities.js'
import { cleanupAll } from '../../scripts/faults/cleanup.js'
import { runScenario } from '../../scripts/faults/runner.js'
import type { Scenario, SuiteOptions } from '../../scripts/faults/scenario.js'
import { lateJoinerScenario } from '../../scripts/faults/scenarios/late-joiner.js'
import { partitionScenario } from '../../scripts/faults/scenarios/partition.js'
import { pauseScenario } from '../../scripts/faults/scenarios/pause.js'
import { restoreScenario } from '../../scripts/faults/scenarios/restore.js'
import { skewScenario } from '../../scripts/faults/scenarios/skew.js'
import { formatNotes, formatTable, formatViolations } from '../../scripts/faults/table.js'

const SCENARIO_TIMEOUT_MS = 90_000
const caps = capabilities()
const opts: SuiteOptions = {
  quick: true,
  reps: 1,
  seed: 'npm-test',
  toleranceMs: 300,
  caps,
  log: (line) => {
    if (process.env.FAULTS_VERBOSE) process.stderr.write(`${line}\n`)
  },
}

async function expectClean(s: Scenario): Promise<void> {
  const r = await runScenario(s, opts)
  const report = [formatTable([r]), formatNotes([r]), formatViolations([r], 2)].join('\n')
  expect(r.error, report).toBeUndefined()
  expect(r.violations.length, report).toBe(0)
}

const netnsSkip = netnsSkipReason(caps)
const faketimeSkip = faketimeSkipReason(caps)
if (netnsSkip) process.stderr.write(`test/faults: partition scenario skipped: ${netnsSkip}\n`)
if (faketimeSkip) process.stderr.write(`test/faults: clock-skew scenario skipped: ${faketimeSkip}\n`)

describe('fault suite, short subset', () => {
  afterAll(() => cleanupAll())

  it('restores R copies after kill -9 and serves a node that joined after the writes', () => expectClean(restoreScenario), SCENARIO_TIMEOUT_MS)

  it('serves every key from a late joiner while it joins, and keeps R copies across join and leave', () => expectClean(lateJoinerScenario), SCENARIO_TIMEOUT_MS)

  it('forgets expired keys on a node SIGSTOPped past their TTL and serves it the newest versions', () => expectClean(pauseScenario), SCENARIO_TIMEOUT_MS)

  // A partitioned minority counts no quorum over the members it still sees (recently lost members stay
  // voters for LOST_MEMBER_MEMORY_MS): its writes are 202s, its misses 503s, and nothing it answered
  // before the heal is contradicted after it.
  it.skipIf(netnsSkip !== undefined)(
    `partition and heal in network namespaces${netnsSkip ? ` — skipped: ${netnsSkip}` : ''}`,
    () => expectClean(partitionScenario),
    SCENARIO_TIMEOUT_MS,
  )

  // KNOWN VIOLATIONS (issue 12, open): a node whose clock runs ahead of a writer's by Δ drops the
  // writer's copies Δ early (copies are clamped to the writer's createdAt + TTL read on the receiver's
  // clock), so it answers 404 for live keys near their end. Skipped here, reported by npm run faults.
  it.skip(
    'clock skew with libfaketime — skipped: known early expiry on a node whose clock runs ahead, see npm run faults and README Reliability',
    () => expectClean(skewScenario),
    SCENARIO_TIMEOUT_MS,
  )
})

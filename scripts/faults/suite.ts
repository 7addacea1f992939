/** The scenarios in the order the suite runs them. */

import type { Scenario } from './scenario.js'
import { churnScenario } from './scenarios/churn.js'
import { lateJoinerScenario } from './scenarios/late-joiner.js'
import { lossScenario } from './scenarios/loss.js'
import { partitionScenario } from './scenarios/partition.js'
import { pauseScenario } from './scenarios/pause.js'
import { restartScenario } from './scenarios/restart.js'
import { restoreScenario } from './scenarios/restore.js'
import { skewScenario } from './scenarios/skew.js'

export const ALL_SCENARIOS: readonly Scenario[] = [
  restoreScenario,
  lateJoinerScenario,
  pauseScenario,
  restartScenario,
  churnScenario,
  skewScenario,
  partitionScenario,
  lossScenario,
]

export function selectScenarios(names: readonly string[] | undefined): Scenario[] {
  if (!names || names.length === 0) return [...ALL_SCENARIOS]
  const out: Scenario[] = []
  for (const n of names) {
    const s = ALL_SCENARIOS.find((x) => x.name === n)
    if (!s) throw new Error(`unknown scenario ${n} (known: ${ALL_SCENARIOS.map((x) => x.name).join(', ')})`)
    out.push(s)
  }
  return out
}

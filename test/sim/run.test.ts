import { describe, expect, it } from 'vitest'
import { parseOptions } from '../../scripts/sim/options.js'
import { runSimulation } from '../../scripts/sim/run.js'
import { generateChurn } from '../../scripts/sim/scenario.js'
import { fakeTestnet } from './fake-testnet.js'

const quiet = { log: () => {} }

describe('runSimulation against a fake testnet', () => {
  it('reports no violation when every node sees one consistent store, with churn', async () => {
    const o = parseOptions(['--nodes', '4', '--duration', '3', '--rate', '150', '--seed', 'ok', '--no-html'])
    const report = await runSimulation(o, generateChurn(3, 1.5), { ...quiet, createTestnet: fakeTestnet('shared') })
    expect(report.invariants.counts).toEqual(Object.fromEntries(Object.keys(report.invariants.counts).map((k) => [k, 0])))
    expect(report.exitCode).toBe(0)
    expect(report.workload.byOp.put.count).toBeGreaterThan(0)
    expect(report.workload.byOp.get.count).toBeGreaterThan(0)
    expect(report.invariants.readsJudged.ok).toBeGreaterThan(0)
    expect(report.churn.map((c) => c.action)).toEqual(['kill', 'start'])
    expect(report.churn.every((c) => c.replication?.state === 'restored')).toBe(true)
    expect(report.invariants.heartbeat.absenceChecks).toBeGreaterThan(0)
    expect(report.invariants.heartbeat.confirmedGone).toBe(report.invariants.heartbeat.absenceChecks)
    expect(report.timeSeries.length).toBeGreaterThanOrEqual(3)
  })

  it('catches acknowledged writes that other nodes cannot read, and exits 1', async () => {
    const o = parseOptions(['--nodes', '3', '--duration', '2', '--rate', '100', '--seed', 'lossy', '--no-html', '--mix', 'handoff=1'])
    const report = await runSimulation(o, [], { ...quiet, createTestnet: fakeTestnet('isolated') })
    expect(report.invariants.counts.missing).toBeGreaterThan(0)
    expect(report.exitCode).toBe(1)
    const v = report.invariants.evidence.find((e) => e.kind === 'missing')
    expect(v?.key).toMatch(/^handoff:[0-9a-f]{64}$/)
    expect(v?.detail).toHaveProperty('required.writeId')
  })
})

import { describe, expect, it } from 'vitest'
import { parseOptions, UsageError } from '../../scripts/sim/options.js'
import { generateChurn, parseScenario } from '../../scripts/sim/scenario.js'

describe('scenario files', () => {
  it('reads {"events": [...]} and bare arrays, sorted by time, same-time events in file order', () => {
    const events = parseScenario(
      JSON.stringify({
        events: [
          { at: 20, action: 'start' },
          { at: 10, action: 'kill', node: 2 },
          { at: 10, action: 'start' },
        ],
      }),
    )
    expect(events).toEqual([
      { at: 10, action: 'kill', node: 2 },
      { at: 10, action: 'start' },
      { at: 20, action: 'start' },
    ])
    expect(parseScenario('[{"at": 1.5, "action": "stop", "node": "node-3"}]')).toEqual([{ at: 1.5, action: 'stop', node: 'node-3' }])
  })

  it.each([
    ['not json', '{'],
    ['not a list', '{"x": 1}'],
    ['negative time', '[{"at": -1, "action": "kill"}]'],
    ['unknown action', '[{"at": 1, "action": "explode"}]'],
    ['unknown field', '[{"at": 1, "action": "kill", "when": 2}]'],
    ['start with a node', '[{"at": 1, "action": "start", "node": 1}]'],
    ['bad node', '[{"at": 1, "action": "kill", "node": -2}]'],
  ])('rejects %s with a UsageError', (_name, text) => {
    expect(() => parseScenario(text)).toThrow(UsageError)
  })

  it('generates --churn events strictly inside the run, removal then start, kill first', () => {
    expect(generateChurn(20, 10)).toEqual([
      { at: 10, action: 'kill' },
      { at: 10, action: 'start' },
    ])
    expect(generateChurn(60, 15).map((e) => `${e.at}:${e.action}`)).toEqual(['15:kill', '15:start', '30:stop', '30:start', '45:kill', '45:start'])
  })
})

describe('options', () => {
  it('has the documented defaults', () => {
    const o = parseOptions([], () => 'r')
    expect(o).toMatchObject({
      nodes: 10,
      replication: 3,
      durationS: 60,
      processes: false,
      churn: false,
      churnIntervalS: 15,
      seed: 'r',
      outDir: 'sim-results',
      html: true,
    })
  })

  it('parses every option', () => {
    const o = parseOptions(
      ['--nodes', '50', '--replication', '5', '--duration', '20', '--processes', '--churn', '--churn-interval', '7', '--scenario', 's.json'].concat([
        '--seed',
        'abc',
        '--rate',
        '250',
        '--concurrency',
        '8',
        '--mix',
        'handoff=2,lock=1',
        '--out',
        'o',
        '--no-html',
        '--expiry-tolerance',
        '50',
      ]),
    )
    expect(o).toMatchObject({ nodes: 50, replication: 5, durationS: 20, processes: true, churn: true, churnIntervalS: 7, scenarioFile: 's.json' })
    expect(o).toMatchObject({ seed: 'abc', ratePerS: 250, concurrency: 8, outDir: 'o', html: false, expiryToleranceMs: 50 })
    expect(o.weights).toEqual({ handoff: 2, heartbeat: 0, scratch: 0, lock: 1, state: 0, dedup: 0, broadcast: 0 })
  })

  it.each([['--nodes', '0'], ['--nodes', 'ten'], ['--rate', '-1'], ['--mix', 'nope=1'], ['--mix', 'lock=0'], ['--bogus']])('rejects %s %s', (...args) => {
    expect(() => parseOptions(args.filter((a) => a !== undefined))).toThrow(UsageError)
  })
})

describe('the example scenario', () => {
  it('parses', async () => {
    const { loadScenario } = await import('../../scripts/sim/scenario.js')
    const events = await loadScenario(new URL('../../scripts/sim/scenarios/kill-stop-restart.json', import.meta.url).pathname)
    expect(events.map((e) => `${e.at}:${e.action}:${e.node ?? ''}`)).toEqual(['10:kill:2', '10:start:', '25:stop:node-5', '40:start:'])
  })
})

import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { broadcastKey, handoffKey, heartbeatKey, lockKey, scratchKey, stateKey } from '../../scripts/sim/keys.js'
import { decodeValue, digest, makeValue } from '../../scripts/sim/payload.js'
import { createRng } from '../../scripts/sim/prng.js'

describe('workload keys', () => {
  it('derives the dead-drop key from shared context so both agents compute the same one', () => {
    const expected = `handoff:${createHash('sha256').update('run-1:task-742:agent-a→agent-b').digest('hex')}`
    expect(handoffKey('run-1', 'task-742', 'agent-a', 'agent-b')).toBe(expected)
    expect(handoffKey('run-1', 'task-742', 'agent-b', 'agent-a')).not.toBe(expected)
    expect(handoffKey('run-2', 'task-742', 'agent-a', 'agent-b')).not.toBe(expected)
  })

  it('follows the prefix conventions and namespaces every key by run', () => {
    expect(heartbeatKey('r', 12)).toBe('heartbeat:r:worker-12')
    expect(scratchKey('r', 3)).toBe('scratch:r:agent-3:reasoning')
    expect(lockKey('r', 1, 2)).toBe('lock:r:pipeline-1:stage-2')
    expect(stateKey('r', '9f3a')).toBe('state:r:job-9f3a')
    expect(broadcastKey('r', 0)).toBe('broadcast:r:config:flags-0')
  })
})

describe('payloads', () => {
  it('carry the run and write id, and a digest detects a flipped byte', () => {
    const v = makeValue('run-x', 42, 'hello', 100, createRng('p'))
    expect(decodeValue(v)).toEqual({ runId: 'run-x', writeId: 42, payload: 'hello' })
    const w = new Uint8Array(v)
    w[w.length - 1] ^= 1
    expect(digest(w)).not.toBe(digest(v))
    expect(decodeValue(new TextEncoder().encode('not ours'))).toBeUndefined()
  })
})

describe('prng', () => {
  it('is deterministic per seed and forks independent streams', () => {
    const a = createRng('seed')
    const b = createRng('seed')
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()))
    expect(createRng('seed').fork('churn').next()).toBe(createRng('seed').fork('churn').next())
    expect(createRng('seed').fork('churn').next()).not.toBe(createRng('seed').fork('mix').next())
  })

  it('draws by weight and never picks a zero weight', () => {
    const r = createRng('w')
    const seen = new Set<string>()
    for (let i = 0; i < 500; i++) seen.add(r.weighted({ a: 1, b: 3, c: 0 }))
    expect([...seen].sort()).toEqual(['a', 'b'])
  })
})

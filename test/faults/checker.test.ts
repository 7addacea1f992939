/**
 * The fault suite's offline checker on hand-written histories: each invariant caught once, and the
 * cases it must not flag (concurrent reads, expiry, indeterminate writes, exemptions).
 */
import { describe, expect, it } from 'vitest'
import { checkHistory } from '../../scripts/faults/checker.js'
import { History, type Op } from '../../scripts/faults/history.js'
import { versionToEtag } from '../../src/shared/version.js'

const T = 1_800_000_000_000
const TOL = 100

function etag(hlc: number): string {
  return versionToEtag({ hlc, node: 1 })
}

class Builder {
  readonly h = new History()
  private id = 1
  private add(op: Omit<Op, 'id' | 'incarnation'>): Op {
    const full: Op = { ...op, id: this.id++, incarnation: 1 }
    this.h.ops.push(full)
    return full
  }
  put(key: string, writeId: number, at: number, done: number, status: number, hlc: number, ttlS = 10, node = 'n1'): Op {
    return this.add({
      kind: 'put',
      node,
      key,
      writeId,
      ttlS,
      appliedTtlS: ttlS,
      invokeMs: T + at,
      completeMs: T + done,
      status,
      etag: status ? etag(hlc) : undefined,
    })
  }
  get(key: string, at: number, done: number, found?: { writeId: number; hlc: number }, node = 'n2'): Op {
    return this.add({
      kind: 'get',
      node,
      key,
      invokeMs: T + at,
      completeMs: T + done,
      status: found ? 200 : 404,
      readWriteId: found?.writeId,
      etag: found ? etag(found.hlc) : undefined,
    })
  }
  list(keys: string[], at: number, done: number, node = 'n3'): Op {
    return this.add({ kind: 'list', node, prefix: '', invokeMs: T + at, completeMs: T + done, status: 200, listed: keys })
  }
  check(exempt?: (r: Op, w: Op) => boolean) {
    return checkHistory(this.h, { toleranceMs: TOL, exempt }).map((v) => v.kind)
  }
}

describe('fault checker', () => {
  it('accepts a read of the acknowledged value, and a 404 of a read concurrent with the write', () => {
    const b = new Builder()
    b.put('k', 1, 0, 50, 201, 100)
    b.get('k', 10, 60)
    b.get('k', 60, 70, { writeId: 1, hlc: 100 })
    expect(b.check()).toEqual([])
  })

  it('flags a 404 after a 201 (missing), but not after the value expired', () => {
    const b = new Builder()
    b.put('k', 1, 0, 50, 201, 100, 1)
    b.get('k', 100, 120)
    b.get('k', 1_200, 1_250)
    expect(b.check()).toEqual(['missing'])
  })

  it('flags an older version after a newer 201 (stale), including a newer write with a lower version', () => {
    const b = new Builder()
    b.put('a', 1, 0, 50, 201, 100)
    b.put('a', 2, 100, 150, 201, 200)
    b.get('a', 200, 210, { writeId: 1, hlc: 100 })
    // A lagging writer: w4 comes after w3 in real time but has the lower version.
    b.put('b', 3, 0, 50, 201, 500)
    b.put('b', 4, 100, 150, 201, 400)
    b.get('b', 200, 210, { writeId: 3, hlc: 500 })
    const vs = checkHistory(b.h, { toleranceMs: TOL })
    expect(vs.map((v) => v.kind)).toEqual(['stale', 'stale'])
    expect(vs[1].message).toContain('LOWER')
  })

  it('flags a read after expiry and an overwritten value coming back after its overwrite expired', () => {
    const b = new Builder()
    b.put('e', 1, 0, 50, 201, 100, 1)
    b.get('e', 1_200, 1_210, { writeId: 1, hlc: 100 })
    b.put('r', 2, 0, 50, 201, 100, 10)
    b.put('r', 3, 100, 150, 201, 200, 1)
    b.get('r', 1_300, 1_310, { writeId: 2, hlc: 100 })
    expect(b.check()).toEqual(['expired_read', 'resurrected'])
  })

  it('flags a listing of a key after every write of it expired', () => {
    const b = new Builder()
    b.put('l', 1, 0, 50, 201, 100, 1)
    b.list(['l'], 500, 510)
    b.list(['l'], 1_200, 1_210)
    expect(b.check()).toEqual(['expired_listed'])
  })

  it('owes nothing for a write with no answer and gives it no expiry bound', () => {
    const b = new Builder()
    b.put('u', 1, 0, 5_000, 0, 0, 1)
    b.get('u', 5_100, 5_110)
    b.get('u', 9_000, 9_010, { writeId: 1, hlc: 100 })
    expect(b.check()).toEqual([])
  })

  it('honours exemptions for read-your-writes only', () => {
    const b = new Builder()
    b.put('x', 1, 0, 50, 201, 100, 1, 'n1')
    b.get('x', 100, 110, undefined, 'n5')
    b.get('x', 1_200, 1_210, { writeId: 1, hlc: 100 }, 'n5')
    expect(b.check(() => true)).toEqual(['expired_read'])
  })

  it('flags bytes that no write of the key produced', () => {
    const b = new Builder()
    b.put('c', 1, 0, 50, 201, 100)
    const r = b.get('c', 100, 110, { writeId: 1, hlc: 100 })
    r.corrupt = 'bytes differ from the write'
    expect(b.check()).toEqual(['corrupt'])
  })
})

/**
 * One keep-alive connection serves any number of requests: the gateway no longer caps requests per
 * socket (node:http answered 503 past the 10,000th, so a healthy node looked overloaded).
 */
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './harness.js'

const open: Harness[] = []
afterEach(async () => {
  for (const x of open.splice(0)) await x.stop()
})

/** Above node:http's old cap of 10,000 requests per socket. */
const REQUESTS = 10_050

/** Pipelines `count` copies of `request` on one connection; resolves with the status of every response, in order. */
function pipeline(port: number, request: string, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const statuses: number[] = []
    let buf = Buffer.alloc(0)
    socket.on('connect', () => socket.write(request.repeat(count)))
    socket.on('data', (d) => {
      buf = buf.length === 0 ? d : Buffer.concat([buf, d])
      for (;;) {
        const end = buf.indexOf('\r\n\r\n')
        if (end === -1) break
        const head = buf.subarray(0, end).toString('latin1')
        const m = /\r\ncontent-length: *(\d+)/i.exec(head)
        const len = m ? Number(m[1]) : 0
        if (buf.length < end + 4 + len) break
        statuses.push(Number(head.slice(9, 12)))
        buf = buf.subarray(end + 4 + len)
      }
      if (statuses.length >= count) {
        socket.destroy()
        resolve(statuses)
      }
    })
    socket.on('error', reject)
    socket.on('close', () => {
      if (statuses.length < count) reject(new Error(`connection closed after ${statuses.length} of ${count} responses (last ${statuses.at(-1)})`))
    })
  })
}

describe('keep-alive', () => {
  it(`answers ${REQUESTS} pipelined GETs on one connection, every one 200`, async () => {
    const x = await startHarness()
    open.push(x)
    const put = await fetch(`${x.url}/v1/data/k?ttl=600`, { method: 'PUT', body: 'v' })
    expect(put.status).toBe(201)
    const statuses = await pipeline(x.port, 'GET /v1/data/k HTTP/1.1\r\nHost: x\r\n\r\n', REQUESTS)
    expect(statuses.length).toBe(REQUESTS)
    const notOk = statuses.filter((s) => s !== 200)
    expect(notOk).toEqual([])
  }, 60_000)
})

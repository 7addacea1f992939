import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNode } from '../../src/create-node.js'
import { Gateway } from '../../src/gateway/gateway.js'
import type { RepramNode } from '../../src/node/repram-node.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const BIN = join(ROOT, 'dist', 'src', 'cli', 'bin.js')

let node: RepramNode
let gateway: Gateway

interface Run {
  code: number | null
  stdout: Buffer
  stderr: string
}

/** Runs the real `repram` bin with REPRAM_URL pointing at the test gateway (unless overridden). */
async function repram(args: string[], options: { input?: Uint8Array | string; env?: Record<string, string> } = {}): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', REPRAM_URL: gateway.url, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const out: Buffer[] = []
  let err = ''
  child.stdout.on('data', (d: Buffer) => out.push(d))
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString('utf8')
  })
  if (options.input !== undefined) child.stdin.end(options.input)
  else child.stdin.end()
  const [code] = (await once(child, 'close')) as [number | null]
  return { code, stdout: Buffer.concat(out), stderr: err }
}

async function closedPortUrl(): Promise<string> {
  const s = createServer()
  s.listen(0, '127.0.0.1')
  await once(s, 'listening')
  const port = (s.address() as { port: number }).port
  s.close()
  await once(s, 'close')
  return `http://127.0.0.1:${port}`
}

beforeAll(async () => {
  node = createNode(makeConfig({ standalone: true, httpPort: 0, gossipPort: 0, rateLimitPerSecond: 0, nodeId: 'cli-test', maxValueBytes: 1024 * 1024 }), {
    logger: silentLogger,
  })
  await node.start()
  gateway = new Gateway({ node, logger: silentLogger }, { host: '127.0.0.1', port: 0 })
  await gateway.start()
})

afterAll(async () => {
  await gateway?.stop()
  await node?.stop()
})

describe('repram put / get', () => {
  it('puts a value given as an argument and prints the applied TTL', async () => {
    const r = await repram(['put', 'state:job-1', 'queued', '--ttl', '30'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout.toString('utf8'))
    expect(out).toMatchObject({ key: 'state:job-1', ttl: 300, replicas: 1, quorum: 1, confirmed: true })
    expect(Date.parse(out.expires_at)).toBeGreaterThan(Date.now())
    expect(new TextDecoder().decode((await node.get('state:job-1')).value)).toBe('queued')
  })

  it('puts binary bytes from stdin and gets them back exactly', async () => {
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(200_000), Buffer.from('\n\r\n\0')])
    const put = await repram(['put', 'handoff:bin/1', '--ttl', '600'], { input: bytes })
    expect(put.code, put.stderr).toBe(0)
    expect(Buffer.from((await node.get('handoff:bin/1')).value).equals(bytes)).toBe(true)
    const get = await repram(['get', 'handoff:bin/1'])
    expect(get.code, get.stderr).toBe(0)
    expect(get.stdout.equals(bytes)).toBe(true)
  })

  it('stores an empty stdin as an empty value', async () => {
    expect((await repram(['put', 'empty:1'], { input: '' })).code).toBe(0)
    const get = await repram(['get', 'empty:1'])
    expect(get.code).toBe(0)
    expect(get.stdout.length).toBe(0)
  })

  it('get --json prints metadata with the value as text or base64; --meta leaves it out', async () => {
    await repram(['put', 'scratch:j', 'héllo', '--ttl', '900'])
    const j = await repram(['get', 'scratch:j', '--json'])
    expect(j.code).toBe(0)
    const meta = JSON.parse(j.stdout.toString('utf8'))
    expect(meta).toMatchObject({ key: 'scratch:j', value: 'héllo', encoding: 'utf8', size: 6, original_ttl: 900 })
    expect(meta.remaining_ttl).toBeGreaterThan(890)
    expect(meta.etag).toMatch(/^".+"$/)
    const b = await repram(['get', 'handoff:bin/1', '--json'])
    const bin = JSON.parse(b.stdout.toString('utf8'))
    expect(bin.encoding).toBe('base64')
    expect(Buffer.from(bin.value, 'base64').equals(Buffer.from((await node.get('handoff:bin/1')).value))).toBe(true)
    const m = JSON.parse((await repram(['get', 'scratch:j', '--json', '--meta'])).stdout.toString('utf8'))
    expect(m.value).toBeUndefined()
    expect(m.size).toBe(6)
  })

  it('takes keys that start with "-" after --', async () => {
    expect((await repram(['put', '--ttl', '600', '--', '-dash', 'v'])).code).toBe(0)
    expect((await repram(['get', '--', '-dash'])).stdout.toString()).toBe('v')
  })
  it('stops quietly (exit 0) when its reader goes away', async () => {
    await node.put('big:pipe', new Uint8Array(900_000))
    const child = spawn(process.execPath, [BIN, 'get', 'big:pipe'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', REPRAM_URL: gateway.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let err = ''
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8')
    })
    child.stdout.once('data', () => child.stdout.destroy())
    const [code] = (await once(child, 'close')) as [number | null]
    expect(code, err).toBe(0)
    expect(err).toBe('')
  })
})

describe('repram ls / status / health', () => {
  it('lists every key under a prefix, across pages', async () => {
    const keys = Array.from({ length: 1205 }, (_, i) => `heartbeat:w${String(i).padStart(4, '0')}`)
    await Promise.all(keys.map((k) => node.put(k, new Uint8Array([1]))))
    await node.put('heartbeaT:other', new Uint8Array([1]))
    const r = await repram(['ls', '--prefix', 'heartbeat:'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.toString('utf8')).toBe(`${keys.join('\n')}\n`)
    const limited = await repram(['ls', '--prefix', 'heartbeat:', '--limit', '3', '--json'])
    expect(JSON.parse(limited.stdout.toString('utf8'))).toEqual(keys.slice(0, 3))
    const none = await repram(['ls', '--prefix', 'nothing:', '--json'])
    expect(JSON.parse(none.stdout.toString('utf8'))).toEqual([])
  })

  it('prints status and health', async () => {
    const s = await repram(['status'])
    expect(s.code).toBe(0)
    expect(JSON.parse(s.stdout.toString('utf8'))).toMatchObject({ status: 'healthy', node_id: 'cli-test' })
    const h = await repram(['health', '--url', gateway.url], { env: { REPRAM_URL: 'http://127.0.0.1:1' } })
    expect(h.code).toBe(0)
    expect(JSON.parse(h.stdout.toString('utf8'))).toMatchObject({ status: 'healthy', node_id: 'cli-test' })
  })
})

describe('repram verbs: exit codes', () => {
  it('not found → 3', async () => {
    const r = await repram(['get', 'handoff:never'])
    expect(r.code).toBe(3)
    expect(r.stdout.length).toBe(0)
    expect(r.stderr).toContain('[not_found]')
    expect((await repram(['get', 'handoff:never', '--json', '--meta'])).code).toBe(3)
  })

  it('usage errors → 2', async () => {
    const cases = [
      ['put'],
      ['put', 'a', 'b', 'c'],
      ['get'],
      ['get', 'k', '--bogus'],
      ['ls', 'extra'],
      ['ls', '--limit', 'x'],
      ['get', 'k', '--meta'],
      ['status', '--timeout', '-1'],
      ['put', 'k', 'v', '--ttl', '1', '--ttl', '2'],
      ['get', 'k', '--url'],
    ]
    const runs = await Promise.all(cases.map((args) => repram(args)))
    runs.forEach((r, i) => {
      expect(r.code, cases[i].join(' ')).toBe(2)
      expect(r.stderr).toContain('Usage:')
    })
  })

  it('rejected input → 4', async () => {
    const runs = await Promise.all([
      repram(['put', 'k', 'v', '--ttl', 'abc']),
      repram(['put', 'k', 'v', '--ttl', '0']),
      repram(['put', 'k', 'v', '--ttl', '-1']),
      repram(['put', 'k'.repeat(2000), 'v']),
      repram(['put', 'big'], { input: Buffer.alloc(1024 * 1024 + 1) }),
    ])
    expect(runs.map((r) => r.code)).toEqual([4, 4, 4, 4, 4])
  })

  it('unreachable gateway → 6, via REPRAM_URL or --url', async () => {
    const url = await closedPortUrl()
    const cases = [['get', 'k'], ['put', 'k', 'v'], ['ls'], ['status'], ['health']]
    const runs = await Promise.all(cases.map((args) => repram(args, { env: { REPRAM_URL: url } })))
    runs.forEach((r, i) => {
      expect(r.code, cases[i].join(' ')).toBe(6)
      expect(r.stderr).toContain('[unreachable]')
    })
    expect((await repram(['get', 'k', '--url', url])).code).toBe(6)
  })

  it('bad URL → 2', async () => {
    expect((await repram(['status', '--url', 'nope'])).code).toBe(2)
  })

  it('--help documents the exit codes and exits 0', async () => {
    const verbs = ['put', 'get', 'ls', 'status', 'health']
    const runs = await Promise.all(verbs.map((verb) => repram([verb, '--help'])))
    for (const [i, verb] of verbs.entries()) {
      const r = runs[i]
      expect(r.code).toBe(0)
      const help = r.stdout.toString('utf8')
      expect(help).toContain(`repram ${verb}`)
      expect(help).toContain('Exit codes:')
      expect(help).toContain('3  not found')
      expect(help).toContain('6  gateway unreachable')
    }
  })
})

/**
 * The real `repram node` process (dist/src/cli/bin.js, built by test/global-setup.ts): it starts,
 * logs its gateway URL, serves PUT/GET over HTTP, stops cleanly on SIGTERM with exit code 0; an
 * invalid setting stops it with exit code 2 naming the variable; --help lists every flag. Also the
 * shared flag parser.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import net from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { parseArgs } from '../../src/cli/args.js'
import { isBenignError } from '../../src/cli/node-command.js'
import type { HealthReport } from '../../src/node/types.js'
import { SETTINGS } from '../../src/shared/config.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const BIN = join(ROOT, 'dist', 'src', 'cli', 'bin.js')

interface Proc {
  child: ChildProcess
  stderr: () => string
  stdout: () => string
  exited: Promise<number | null>
}

const running: ChildProcess[] = []
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
})

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('REPRAM_')) env[k] = v
  return { ...env, ...extra }
}

function repram(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  running.push(child)
  let err = ''
  let out = ''
  child.stderr?.on('data', (d) => {
    err += d.toString()
  })
  child.stdout?.on('data', (d) => {
    out += d.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, stderr: () => err, stdout: () => out, exited }
}

function gatewayUrl(p: Proc, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const m = /gateway listening url="([^"]+)"/.exec(p.stderr())
      if (m) {
        p.child.stderr?.off('data', check)
        clearTimeout(timer)
        resolve(m[1])
      }
      return m !== null
    }
    const timer = setTimeout(() => reject(new Error(`no gateway url in stderr:\n${p.stderr()}`)), timeoutMs)
    p.child.stderr?.on('data', check)
    p.child.on('exit', () => {
      if (!check()) {
        clearTimeout(timer)
        reject(new Error(`repram node exited before listening:\n${p.stderr()}`))
      }
    })
    check()
  })
}

describe('repram node (real process)', () => {
  it('serves PUT/GET over HTTP, flags win over env, SIGTERM stops it with exit code 0', async () => {
    const p = repram(['node', '--http-port', '0', '--gossip-port=0', '--node-id', 'from-flag'], { REPRAM_NODE_ID: 'from-env', REPRAM_LOG_LEVEL: 'info' })
    const url = await gatewayUrl(p)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const put = await fetch(`${url}/v1/data/hello%20world?ttl=600`, { method: 'PUT', body: 'value bytes' })
    expect(put.status).toBe(201)
    expect(await put.json()).toMatchObject({ key: 'hello world', ttl: 600, replicas: 1, quorum: 1 })
    const get = await fetch(`${url}/v1/data/hello%20world`)
    expect(get.status).toBe(200)
    expect(await get.text()).toBe('value bytes')
    expect(((await (await fetch(`${url}/v1/health`)).json()) as HealthReport).node_id).toBe('from-flag')
    // Logs never contain values.
    expect(p.stderr()).not.toContain('value bytes')
    p.child.kill('SIGTERM')
    expect(await p.exited).toBe(0)
    expect(p.stdout()).toBe('')
    await expect(fetch(`${url}/v1/health`)).rejects.toThrow()
  })

  it('an invalid environment value exits 2 naming the variable and what it accepts', async () => {
    const p = repram(['node', '--http-port', '0', '--gossip-port', '0'], { REPRAM_REPLICATION: 'abc' })
    expect(await p.exited).toBe(2)
    expect(p.stderr()).toContain('REPRAM_REPLICATION')
    expect(p.stderr()).toMatch(/whole number from 1 to 64/)
  })

  it('an invalid flag value or an unknown flag exits 2 naming it', async () => {
    const bad = repram(['node', '--http-port=70000'])
    expect(await bad.exited).toBe(2)
    expect(bad.stderr()).toContain('--http-port')
    const unknown = repram(['node', '--no-such-flag', 'x'])
    expect(await unknown.exited).toBe(2)
    expect(unknown.stderr()).toContain('--no-such-flag')
  })

  it('a gateway port already in use exits 1 with a clear message', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()))
    try {
      const port = (blocker.address() as net.AddressInfo).port
      const p = repram(['node', '--http-port', String(port), '--gossip-port', '0'])
      expect(await p.exited).toBe(1)
      expect(p.stderr()).toMatch(/gateway address is in use/)
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })

  it('--help lists every setting as a flag with its variable, exit 0', async () => {
    const p = repram(['node', '--help'])
    expect(await p.exited).toBe(0)
    for (const s of SETTINGS) {
      expect(p.stdout()).toContain(`--${s.flag}`)
      expect(p.stdout()).toContain(s.env)
    }
  })
})

describe('parseArgs', () => {
  const spec = { ttl: { type: 'string' as const }, json: { type: 'boolean' as const }, help: { type: 'boolean' as const, short: 'h' } }

  it('reads --flag value, --flag=value, booleans, short aliases and positionals', () => {
    expect(parseArgs(['k', '--ttl', '60', '--json', 'v'], spec)).toEqual({ values: { ttl: '60', json: true }, positionals: ['k', 'v'] })
    expect(parseArgs(['--ttl=60', '-h', '--json=false'], spec)).toEqual({ values: { ttl: '60', help: true, json: false }, positionals: [] })
    expect(parseArgs(['--ttl', '-1'], spec).values.ttl).toBe('-1')
    expect(parseArgs(['--', '--ttl'], spec).positionals).toEqual(['--ttl'])
    expect(parseArgs(['--ttl='], spec).values.ttl).toBe('')
  })

  it('refuses unknown flags, missing values and repeats with a config_invalid error naming the flag', () => {
    expect(() => parseArgs(['--nope'], spec)).toThrow(expect.objectContaining({ code: 'config_invalid', variable: '--nope' }))
    expect(() => parseArgs(['--ttl'], spec)).toThrow(expect.objectContaining({ variable: '--ttl' }))
    expect(() => parseArgs(['--ttl', '1', '--ttl', '2'], spec)).toThrow(expect.objectContaining({ variable: '--ttl' }))
    expect(() => parseArgs(['-x'], spec)).toThrow(expect.objectContaining({ variable: '-x' }))
    expect(() => parseArgs(['--json=maybe'], spec)).toThrow(expect.objectContaining({ variable: '--json' }))
  })
})

describe('process error policy', () => {
  it('treats per-connection network failures as benign and anything else as fatal', () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code })
    const named = (name: string) => Object.assign(new Error('x'), { name })
    expect(isBenignError(withCode('ECONNRESET'))).toBe(true)
    expect(isBenignError(withCode('EPIPE'))).toBe(true)
    expect(isBenignError(named('AbortError'))).toBe(true)
    expect(isBenignError(named('StreamResetError'))).toBe(true)
    expect(isBenignError(new TypeError('x is undefined'))).toBe(false)
    expect(isBenignError('a string')).toBe(false)
  })
})

/**
 * One `repram node` OS process the harness can hurt: kill -9, SIGTERM (a graceful leave), SIGSTOP /
 * SIGCONT, and restart with the same identity (--key-file) under the same name. Optionally inside a
 * network namespace (`ip netns exec`, which execs the node, so the pid is the node's own) and/or
 * under libfaketime (LD_PRELOAD) for a skewed wall clock. Every process is registered for cleanup.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { onCleanup } from './cleanup.js'

/** How long a node may take to print its listening lines (2 cores shared with other work). */
const START_TIMEOUT_MS = 30_000
/** A graceful stop (with handoff) taking longer than this is finished with SIGKILL. */
const STOP_TIMEOUT_MS = 15_000
const LOG_TAIL_LINES = 200

export interface NodeSpec {
  name: string
  /** Interface address the gateway and libp2p bind to (127.0.0.1, or the namespace's address). */
  host: string
  /** Run inside this network namespace. */
  netns?: string
  /** libp2p profile: 'loopback' for many nodes on one IP, 'standard' in namespaces. */
  profile: 'loopback' | 'standard'
  replication: number
  writeTimeoutS: number
  keyFile?: string
  /** Extra environment (libfaketime's LD_PRELOAD / FAKETIME…). */
  env?: Record<string, string>
  logLevel?: 'debug' | 'info' | 'warn'
}

/**
 * <root>/dist/src/cli/bin.js from dist/scripts/faults/ or (vitest) scripts/faults/; FAULTS_BIN
 * overrides it (a private build, when others rebuild dist/ while a long run is under way).
 */
export function binPath(): string {
  if (process.env.FAULTS_BIN) return process.env.FAULTS_BIN
  const here = dirname(fileURLToPath(import.meta.url))
  const inDist = here.split(/[\\/]/).includes('dist')
  return inDist ? join(here, '..', '..', 'src', 'cli', 'bin.js') : join(here, '..', '..', 'dist', 'src', 'cli', 'bin.js')
}

function unquote(s: string): string {
  try {
    return JSON.parse(s) as string
  } catch {
    return s
  }
}

/** 'stopping': signalled (kill -9 / SIGTERM), not yet reaped — no new requests go to it. */
export type NodeState = 'running' | 'paused' | 'stopping' | 'dead'

export class FaultNode {
  readonly spec: NodeSpec
  url = ''
  peerId = ''
  multiaddrs: string[] = []
  pid = 0
  incarnation = 0
  state: NodeState = 'dead'
  /** When the current process printed its listening lines. */
  upAtMs = 0
  private child: ChildProcess | undefined
  private exited: Promise<void> = Promise.resolve()
  private undo: (() => void) | undefined
  readonly tail: string[] = []

  constructor(spec: NodeSpec) {
    this.spec = spec
  }

  get name(): string {
    return this.spec.name
  }

  /** The libp2p address others bootstrap from. */
  dialAddr(): string | undefined {
    return this.multiaddrs.find((a) => a.includes(`/${this.spec.host}/`)) ?? this.multiaddrs[0]
  }

  /** Starts a (new) process with this spec; resolves once it listens. */
  async start(peers: string[]): Promise<void> {
    if (this.state !== 'dead') throw new Error(`${this.name} is already running`)
    const s = this.spec
    const args = [
      binPath(),
      'node',
      ...['--node-id', s.name, '--http-host', s.host, '--http-port', '0', '--gossip-port', '0'],
      ...['--listen', `/ip4/${s.host}/tcp/0`, '--profile', s.profile, '--replication', String(s.replication)],
      ...['--write-timeout', String(s.writeTimeoutS), '--min-ttl', '1', '--rate-limit', '0', '--log-level', s.logLevel ?? 'info'],
    ]
    if (s.keyFile) args.push('--key-file', s.keyFile)
    if (peers.length > 0) args.push('--peers', peers.join(','))
    const env: NodeJS.ProcessEnv = {}
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('REPRAM_') && !k.startsWith('FAKETIME') && k !== 'LD_PRELOAD') env[k] = v
    Object.assign(env, s.env)
    const [cmd, argv] = s.netns ? ['ip', ['netns', 'exec', s.netns, process.execPath, ...args]] : [process.execPath, args]
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] })
    this.child = child
    this.incarnation++
    this.url = ''
    this.peerId = ''
    const pid = child.pid
    this.undo = onCleanup(() => {
      if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
    })
    this.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const exitedEarly = this.exited.then(() => {
      throw new Error(`${this.name} exited before it listened:\n${this.tail.slice(-20).join('\n')}`)
    })
    const listening = new Promise<void>((resolve) => {
      let buf = ''
      child.stderr?.setEncoding('utf8')
      child.stderr?.on('data', (chunk: string) => {
        buf += chunk
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          const line = buf.slice(0, i)
          buf = buf.slice(i + 1)
          this.tail.push(`[${this.name}#${this.incarnation}] ${line}`)
          if (this.tail.length > LOG_TAIL_LINES) this.tail.shift()
          if (s.logLevel === 'debug') process.stderr.write(`[${this.name}] ${line}\n`)
          const g = /gateway listening url=("[^"]*"|\S+)/.exec(line)
          if (g) this.url = unquote(g[1])
          const l = /libp2p listening peer_id=("[^"]*"|\S+) multiaddrs=("[^"]*"|\S+)/.exec(line)
          if (l) {
            this.peerId = unquote(l[1])
            this.multiaddrs = unquote(l[2])
              .split(',')
              .filter((a) => a.length > 0)
          }
          if (this.url && this.peerId) resolve()
        }
      })
    })
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.name} did not listen within ${START_TIMEOUT_MS} ms:\n${this.tail.slice(-20).join('\n')}`)),
        START_TIMEOUT_MS,
      )
    })
    try {
      await Promise.race([listening, exitedEarly, timeout])
    } catch (err) {
      this.forceKill()
      await this.exited
      this.state = 'dead'
      throw err
    } finally {
      clearTimeout(timer)
      exitedEarly.catch(() => {})
    }
    this.pid = pid ?? 0
    this.state = 'running'
    this.upAtMs = performance.timeOrigin + performance.now()
  }

  private forceKill(): void {
    try {
      if (this.child?.pid !== undefined) process.kill(this.child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }

  private async reap(): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.exited, new Promise<void>((r) => (timer = setTimeout(r, STOP_TIMEOUT_MS)))])
    clearTimeout(timer)
    this.forceKill()
    await this.exited
    this.state = 'dead'
    this.undo?.()
    this.undo = undefined
  }

  /** kill -9: no handoff, no goodbye. */
  async kill9(): Promise<void> {
    if (this.state === 'dead') return
    this.state = 'stopping'
    this.forceKill()
    await this.reap()
  }

  /** SIGTERM: the node hands its keys on and leaves; SIGKILL after STOP_TIMEOUT_MS. */
  async stop(): Promise<void> {
    if (this.state === 'dead') return
    this.state = 'stopping'
    this.child?.kill('SIGCONT')
    this.child?.kill('SIGTERM')
    await this.reap()
  }

  pause(): void {
    if (this.state !== 'running') return
    this.child?.kill('SIGSTOP')
    this.state = 'paused'
  }

  resume(): void {
    if (this.state !== 'paused') return
    this.child?.kill('SIGCONT')
    this.state = 'running'
  }

  /** A new process with the same spec (same key file → same peer id). */
  async restart(peers: string[]): Promise<void> {
    await this.kill9()
    await this.start(peers)
  }
}

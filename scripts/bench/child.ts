/**
 * The parent side: fork a bench child (a server under test or a memory probe) as its own OS process,
 * wait for it to announce its URL, send it commands, read its CPU time, and stop it. Each server runs
 * in its own process so the load generator never shares an event loop with what it measures.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { IpcReply, IpcRequest } from './ipc-child.js'

/** A child that has not announced itself by then is broken (the 1M-key preload is a command, not start-up). */
const READY_TIMEOUT_MS = 30_000
/** Commands such as a 1M-key preload can take a while on a shared 2-core machine. */
const COMMAND_TIMEOUT_MS = 600_000
const STOP_TIMEOUT_MS = 10_000
/** Lines of the child's stderr kept to explain a failure. */
const STDERR_TAIL_LINES = 30

export interface BenchChild {
  readonly pid: number
  readonly url: string
  call<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>
  /** User + system CPU seconds the child has used so far (Linux /proc), or undefined elsewhere. */
  cpuSeconds(): number | undefined
  stderrTail(): string
  stop(): Promise<void>
}

export interface StartChildOptions {
  args?: string[]
  execArgv?: string[]
  env?: NodeJS.ProcessEnv
}

/** utime + stime from /proc/PID/stat, in seconds (USER_HZ is 100 on Linux). */
export function procCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}

export async function startChild(modulePath: string, options: StartChildOptions = {}): Promise<BenchChild> {
  const proc: ChildProcess = fork(modulePath, options.args ?? [], {
    execArgv: options.execArgv ?? [],
    env: options.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  const tail: string[] = []
  proc.stderr?.setEncoding('utf8')
  proc.stderr?.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line) tail.push(line)
    if (tail.length > STDERR_TAIL_LINES) tail.splice(0, tail.length - STDERR_TAIL_LINES)
  })
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let exited = false
  const exit = new Promise<void>((resolve) => {
    proc.on('exit', (code, signal) => {
      exited = true
      for (const p of pending.values()) p.reject(new Error(`bench child exited (code ${code}, signal ${signal}): ${tail.join('\n')}`))
      pending.clear()
      resolve()
    })
  })
  const ready = await new Promise<{ url: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench child ${modulePath} not ready in ${READY_TIMEOUT_MS} ms: ${tail.join('\n')}`)), READY_TIMEOUT_MS)
    proc.on('message', (msg: { ready?: boolean; url?: string } & IpcReply) => {
      if (msg.ready && msg.url) {
        clearTimeout(timer)
        resolve({ url: msg.url })
        return
      }
      const p = pending.get(msg.id)
      if (!p) return
      pending.delete(msg.id)
      if (msg.ok) p.resolve(msg.result)
      else p.reject(new Error(msg.error ?? 'bench child command failed'))
    })
    exit.then(() => {
      clearTimeout(timer)
      reject(new Error(`bench child ${modulePath} exited before ready: ${tail.join('\n')}`))
    })
  }).catch((err: unknown) => {
    proc.kill('SIGKILL')
    throw err
  })
  const pid = proc.pid ?? -1

  const call = <T>(cmd: string, args?: Record<string, unknown>): Promise<T> => {
    if (exited) return Promise.reject(new Error(`bench child exited: ${tail.join('\n')}`))
    const id = nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new Error(`bench child command ${cmd} timed out`))
      }, COMMAND_TIMEOUT_MS)
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer)
          resolve(v as T)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      })
      proc.send({ id, cmd, args } satisfies IpcRequest)
    })
  }

  return {
    pid,
    url: ready.url,
    call,
    cpuSeconds: () => procCpuSeconds(pid),
    stderrTail: () => tail.join('\n'),
    async stop() {
      if (exited) return
      await call('stop').catch(() => {})
      const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exit
      clearTimeout(timer)
    },
  }
}

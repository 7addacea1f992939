/**
 * `npm start`, as the README's quick start runs it: SIGTERM to the npm process stops the node too. npm
 * forwards SIGINT/SIGTERM to its script's process; the start script `exec`s node so that process is the
 * node (without `exec`, `sh -c` got the signal, died, and left the node running with its ports).
 * The node's stderr pipe closes only when every process holding it has exited, so its 'close' is the
 * proof that nothing was left behind.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const leftovers: number[] = []

afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})

function descendants(pid: number): number[] {
  let children: number[] = []
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
  } catch {
    return []
  }
  return children.flatMap((c) => [c, ...descendants(c)])
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('REPRAM_') && !k.startsWith('npm_')) env[k] = v
  return { ...env, REPRAM_HTTP_PORT: '0', REPRAM_GOSSIP_PORT: '0', REPRAM_LOG_LEVEL: 'info' }
}

describe.skipIf(process.platform === 'win32')('npm start', () => {
  it('stops the node when the npm process gets SIGTERM', async () => {
    const npm: ChildProcess = spawn('npm', ['start', '--silent'], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] })
    if (npm.pid !== undefined) leftovers.push(npm.pid)
    let err = ''
    const closed = new Promise<void>((resolve) => npm.stderr?.on('close', () => resolve()))
    const listening = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no gateway within 30 s; stderr:\n${err}`)), 30_000)
      npm.stderr?.on('data', (d) => {
        err += d.toString()
        if (err.includes('gateway listening')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    await listening
    leftovers.push(...descendants(npm.pid ?? 0))
    npm.kill('SIGTERM')
    let timer: NodeJS.Timeout | undefined
    const outcome = await Promise.race([
      closed.then(() => 'closed' as const),
      new Promise<'still running'>((resolve) => {
        timer = setTimeout(() => resolve('still running'), 20_000)
      }),
    ])
    clearTimeout(timer)
    expect(outcome, `the node outlived npm; stderr:\n${err}`).toBe('closed')
    expect(err).toContain('stopping reason="SIGTERM"')
  })
})

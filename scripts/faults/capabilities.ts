/**
 * What this machine lets the harness do: root (namespaces, nftables), the `ip` and `nft` tools,
 * libfaketime, and whether the kernel has sch_netem (delay/loss with tc). Each missing piece turns
 * the scenarios that need it into a clear skip, never a failure.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export interface Capabilities {
  root: boolean
  ip: boolean
  nft: boolean
  /** Path of libfaketime.so.1, when installed. */
  faketimeLib?: string
  /** `tc qdisc add … netem` works in a scratch namespace. */
  netem: boolean
}

function runs(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 5_000 })
  return r.status === 0
}

export function findFaketime(): string | undefined {
  const dirs = ['/usr/lib/faketime', '/usr/local/lib/faketime', '/usr/lib64/faketime']
  try {
    for (const d of readdirSync('/usr/lib')) if (d.endsWith('-linux-gnu')) dirs.unshift(join('/usr/lib', d, 'faketime'))
  } catch {
    // no /usr/lib: nothing to add
  }
  for (const d of dirs) {
    const p = join(d, 'libfaketime.so.1')
    if (existsSync(p)) return p
  }
  return undefined
}

function probeNetem(): boolean {
  const ns = `rfxprobe${process.pid}`
  if (!runs('ip', ['netns', 'add', ns])) return false
  try {
    runs('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])
    return runs('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'])
  } finally {
    runs('ip', ['netns', 'del', ns])
  }
}

let cached: Capabilities | undefined

export function capabilities(): Capabilities {
  if (cached) return cached
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  const ip = runs('ip', ['-V'])
  const nft = runs('nft', ['--version'])
  cached = { root, ip, nft, faketimeLib: findFaketime(), netem: root && ip && runs('tc', ['-V']) && probeNetem() }
  return cached
}

/** Why namespace scenarios cannot run here, or undefined when they can. */
export function netnsSkipReason(c: Capabilities = capabilities()): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux'
  if (!c.root) return 'network namespaces need root (run as root, as CI does)'
  if (!c.ip) return "the 'ip' tool is missing (Debian package iproute2)"
  if (!c.nft) return "the 'nft' tool is missing (Debian package nftables)"
  return undefined
}

export function faketimeSkipReason(c: Capabilities = capabilities()): string | undefined {
  if (process.platform !== 'linux') return 'libfaketime scenarios need Linux'
  if (!c.faketimeLib) return 'libfaketime.so.1 not found (Debian package faketime)'
  return undefined
}

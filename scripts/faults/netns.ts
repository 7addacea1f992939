/**
 * A private network lab on this machine: one Linux bridge in the root namespace holding the
 * harness's address 10.77.K.1/24 (a /24 no interface uses yet), and one network namespace per node
 * joined to it by a veth pair (10.77.K.2, .3, …). Nodes in different namespaces reach each other
 * only over the bridge, so an nftables table of the bridge family (forward hook) cuts them apart
 * (partitions) or drops a share of their packets (loss); the harness's own traffic to the gateways
 * enters the bridge's address and is never filtered. Traffic only ever goes to addresses created
 * here. Everything is undone on destroy(), on exit and on failure; a lab left by a harness that died
 * (its pid is gone) is swept at the next create().
 */
import { spawnSync } from 'node:child_process'
import { onCleanup } from './cleanup.js'

const PREFIX = 'rfx'
const TABLE_PREFIX = 'repram_faults_'

function sh(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000, input })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`)
  return r.stdout
}

function shQuiet(cmd: string, args: string[]): void {
  spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM'
  }
}

/** Removes namespaces, bridges and tables of earlier harness processes that no longer exist. */
function sweepStale(): void {
  const dead = (name: string): boolean => {
    const m = new RegExp(`^${PREFIX}(\\d+)[a-z]`).exec(name)
    return m !== null && Number(m[1]) !== process.pid && !alive(Number(m[1]))
  }
  for (const line of sh('ip', ['netns', 'list']).split('\n')) {
    const name = line.split(' ')[0]
    if (name && dead(name)) shQuiet('ip', ['netns', 'del', name])
  }
  for (const line of sh('ip', ['-o', 'link', 'show', 'type', 'bridge']).split('\n')) {
    const name = /^\d+: ([^:@]+)/.exec(line)?.[1]
    if (name && dead(name)) shQuiet('ip', ['link', 'del', name])
  }
  for (const line of sh('nft', ['list', 'tables']).split('\n')) {
    const name = new RegExp(`^table bridge ${TABLE_PREFIX}(\\S+)`).exec(line)?.[1]
    if (name && dead(name)) shQuiet('nft', ['delete', 'table', 'bridge', `${TABLE_PREFIX}${name}`])
  }
}

let labSeq = 0

export interface LabHost {
  netns: string
  address: string
}

export class NetLab {
  readonly id: string
  readonly subnet: string
  readonly bridge: string
  readonly table: string
  private readonly hosts: LabHost[] = []
  private readonly undo: () => void
  private destroyed = false

  private constructor(id: string, third: number) {
    this.id = id
    this.subnet = `10.77.${third}`
    this.bridge = `${id}b`
    this.table = `${TABLE_PREFIX}${id}`
    this.undo = onCleanup(() => this.teardown())
  }

  static create(): NetLab {
    sweepStale()
    const used = sh('ip', ['-4', '-o', 'addr', 'show'])
    let third = (process.pid % 200) + 1
    for (let i = 0; i < 254 && used.includes(` 10.77.${third}.`); i++) third = (third % 254) + 1
    if (used.includes(` 10.77.${third}.`)) throw new Error('no free 10.77.K.0/24 for the lab')
    const lab = new NetLab(`${PREFIX}${process.pid}${String.fromCharCode(97 + (labSeq++ % 26))}`, third)
    try {
      sh('ip', ['link', 'add', lab.bridge, 'type', 'bridge'])
      sh('ip', ['addr', 'add', `${lab.subnet}.1/24`, 'dev', lab.bridge])
      sh('ip', ['link', 'set', lab.bridge, 'up'])
      sh('nft', ['-f', '-'], `table bridge ${lab.table} {\n  chain forward {\n    type filter hook forward priority 0; policy accept;\n  }\n}\n`)
    } catch (err) {
      lab.destroy()
      throw err
    }
    return lab
  }

  /** A new namespace on the bridge; its address is the next free one of the /24. */
  addHost(): LabHost {
    const i = this.hosts.length + 2
    if (i > 254) throw new Error('the lab is full')
    const h: LabHost = { netns: `${this.id}n${i}`, address: `${this.subnet}.${i}` }
    const veth = `${this.id}v${i}`
    this.hosts.push(h)
    sh('ip', ['netns', 'add', h.netns])
    sh('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.netns])
    sh('ip', ['link', 'set', veth, 'master', this.bridge, 'up'])
    sh('ip', ['-n', h.netns, 'addr', 'add', `${h.address}/24`, 'dev', 'eth0'])
    sh('ip', ['-n', h.netns, 'link', 'set', 'eth0', 'up'])
    sh('ip', ['-n', h.netns, 'link', 'set', 'lo', 'up'])
    return h
  }

  private setRules(rules: string[]): void {
    const body = rules.map((r) => `add rule bridge ${this.table} forward ${r}`).join('\n')
    sh('nft', ['-f', '-'], `flush chain bridge ${this.table} forward\n${body}\n`)
  }

  /** Cuts every pair of groups apart (both directions); addresses not in any group stay connected to all. */
  partition(groups: string[][]): void {
    const rules: string[] = []
    for (let a = 0; a < groups.length; a++) {
      for (let b = 0; b < groups.length; b++) {
        if (a === b || groups[a].length === 0 || groups[b].length === 0) continue
        rules.push(`ip saddr { ${groups[a].join(', ')} } ip daddr { ${groups[b].join(', ')} } drop`)
      }
    }
    this.setRules(rules)
  }

  /** Drops `percent` % of the packets between nodes, at random (no tc netem needed). */
  loss(percent: number): void {
    this.setRules([`ip saddr ${this.subnet}.0/24 ip daddr ${this.subnet}.0/24 numgen random mod 100 < ${Math.round(percent)} drop`])
  }

  heal(): void {
    this.setRules([])
  }

  /** The rules in force, for the report. */
  rules(): string {
    return sh('nft', ['list', 'chain', 'bridge', this.table, 'forward'])
  }

  private teardown(): void {
    if (this.destroyed) return
    this.destroyed = true
    shQuiet('nft', ['delete', 'table', 'bridge', this.table])
    for (const h of this.hosts) shQuiet('ip', ['netns', 'del', h.netns])
    shQuiet('ip', ['link', 'del', this.bridge])
  }

  destroy(): void {
    this.undo()
  }
}

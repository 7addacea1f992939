/**
 * Reads a V8 .cpuprofile (profiler.ts, or node --cpu-prof) and names where the time went: the functions with the most
 * self time, and self time grouped by where the code lives (our src/, a dependency, node internals, GC).
 */
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}

interface Profile {
  nodes: ProfileNode[]
}

/** Rows of each summary table. */
const TOP_N = 15

function area(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC'
  if (fn === '(program)' || fn === '(idle)' || fn === '(root)') return fn
  if (url === '') return 'native / V8 builtins'
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/')
    return `dep ${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`
  }
  if (url.startsWith('node:')) {
    const parts = url.slice(5).split('/')
    return `node ${parts[0] === 'internal' && parts.length > 2 ? `internal/${parts[1]}` : parts[0]}`
  }
  const src = url.indexOf('/dist/')
  if (src >= 0)
    return url
      .slice(src + 6)
      .split('/')
      .slice(0, 2)
      .join('/')
  return url
}

export function summarizeProfile(file: string): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byFn = new Map<string, number>()
  const byArea = new Map<string, number>()
  let total = 0
  for (const n of p.nodes) {
    const hits = n.hitCount ?? 0
    if (hits === 0) continue
    total += hits
    const { functionName, url, lineNumber } = n.callFrame
    const short = url.replace(/^.*\/(node_modules|dist)\//, '$1/')
    const name = `${functionName || '(anonymous)'} ${short}${url ? `:${lineNumber + 1}` : ''}`
    byFn.set(name, (byFn.get(name) ?? 0) + hits)
    const a = area(url, functionName)
    byArea.set(a, (byArea.get(a) ?? 0) + hits)
  }
  const busy = total - (byArea.get('(idle)') ?? 0)
  const fmt = (m: Map<string, number>): string =>
    [...m.entries()]
      .filter(([k]) => k !== '(idle)' && !k.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_N)
      .map(([k, v]) => `    ${((v / busy) * 100).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n')
  return [
    `  ${file}: ${busy} busy samples (${(((total - busy) / total) * 100).toFixed(0)}% idle)`,
    '  self time by area:',
    fmt(byArea),
    '  hottest functions (self time):',
    fmt(byFn),
  ].join('\n')
}

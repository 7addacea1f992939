// Checks the import graph of src/ and protocols/: every import goes down the data flow (or stays in
// its own room), and no files import each other in a loop (type-only imports included). Run by CI;
// exits 1 and names each offending import. The ranks are the README's architecture section.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Rooms from the top of the flow down; a room may import only rooms of a lower rank (or itself). */
const RANKS = [
  ['src/index.ts'], // the package's entry: re-exports the public API
  ['src/cli', 'src/testnet.ts'], // entry points: start nodes with their front doors
  ['src/gateway', 'src/mcp'], // front doors: talk to the facade only
  ['src/client'], // the gateway's typed HTTP client (CLI verbs, MCP in remote mode)
  ['src/create-node.ts'], // assembly: config -> store, replicator, facade
  ['src/replication'], // the mesh replicator: write/read paths, announcements, handoff
  ['src/node', 'src/membership'], // the facade and its Replicator port; staying in the mesh
  ['src/placement', 'src/store'], // key -> replicas; the in-memory TTL store
  ['src/wire', 'src/host', 'src/expiry'], // request/response engine; libp2p assembly; expiry timers
  ['protocols', 'src/shared', 'src/polyfill.ts'], // wire contracts; the words every layer shares
]

function roomOf(file) {
  for (let r = 0; r < RANKS.length; r++) for (const room of RANKS[r]) if (file === room || file.startsWith(`${room}/`)) return { room, rank: r }
  return undefined
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p, out)
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p)
  }
  return out
}

const files = [...walk(join(ROOT, 'src')), ...walk(join(ROOT, 'protocols'))].map((f) => relative(ROOT, f))
const edges = new Map()
const problems = []
for (const file of files) {
  const from = roomOf(file)
  if (!from) problems.push(`${file}: in no room of the layering table (add it to scripts/layering-check.mjs and the README)`)
  const text = readFileSync(join(ROOT, file), 'utf8')
  const targets = []
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2]
    const target = relative(ROOT, resolve(ROOT, dirname(file), spec.replace(/\.js$/, '.ts')))
    targets.push(target)
    const to = roomOf(target)
    if (from && to && to.room !== from.room && to.rank <= from.rank) {
      problems.push(`${file} imports ${target}: ${to.room} is ${to.rank === from.rank ? 'beside' : 'above'} ${from.room} in the flow`)
    }
  }
  edges.set(file, targets)
}

// File cycles: depth-first search, each cycle reported once.
const state = new Map()
const stack = []
const seen = new Set()
function visit(f) {
  state.set(f, 1)
  stack.push(f)
  for (const t of edges.get(f) ?? []) {
    if (!edges.has(t)) continue
    if (state.get(t) === 1) {
      const cycle = stack.slice(stack.indexOf(t))
      const id = [...cycle].sort().join(' ')
      if (!seen.has(id)) {
        seen.add(id)
        problems.push(`import cycle: ${[...cycle, t].join(' -> ')}`)
      }
    } else if (!state.has(t)) visit(t)
  }
  stack.pop()
  state.set(f, 2)
}
for (const f of edges.keys()) if (!state.has(f)) visit(f)

if (problems.length > 0) {
  for (const p of problems) console.error(p)
  console.error(`layering: ${problems.length} problem(s)`)
  process.exit(1)
}
console.log(`layering: ${files.length} files, every import goes down the flow, no cycles`)

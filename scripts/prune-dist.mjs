// Before `npm pack` / `npm publish` (the prepack script): removes compiled files under dist/ whose
// TypeScript source no longer exists (a renamed or deleted module), so the tarball ships only what
// the current sources build. Files whose source exists are left alone; `prepare` then rebuilds.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const DIST = join(ROOT, 'dist')
const OUTPUT = /(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/

function walk(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...walk(p))
    else out.push(p)
  }
  return out
}

let removed = 0
if (existsSync(DIST)) {
  for (const file of walk(DIST)) {
    const rel = relative(DIST, file)
    if (!OUTPUT.test(rel)) continue
    const source = join(ROOT, rel.replace(OUTPUT, '.ts'))
    if (existsSync(source)) continue
    rmSync(file)
    removed++
  }
}
process.stderr.write(`prune-dist: removed ${removed} compiled file(s) without a source\n`)

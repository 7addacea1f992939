#!/usr/bin/env node
// Regenerates protocols/*.proto into a temporary directory with protons and fails when the result
// differs from the committed protocols/*.ts (CI runs this: `npm run protocols:check`).
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dir = new URL('../protocols/', import.meta.url).pathname
const tmp = mkdtempSync(join(tmpdir(), 'repram-protocols-'))
let stale = 0
try {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.proto'))) {
    copyFileSync(join(dir, f), join(tmp, f))
    execFileSync('npx', ['protons', join(tmp, f)], { stdio: 'inherit' })
    const name = f.replace(/\.proto$/, '.ts')
    const fresh = readFileSync(join(tmp, name), 'utf8')
    let committed = ''
    try {
      committed = readFileSync(join(dir, name), 'utf8')
    } catch {}
    if (fresh !== committed) {
      process.stderr.write(`protocols/${name} is stale: run npm run protocols:gen and commit the result\n`)
      stale++
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
process.exitCode = stale > 0 ? 1 : 0

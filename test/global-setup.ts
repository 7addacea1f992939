/**
 * Builds dist/ once before the suite, so tests that spawn the real `repram` bin (dist/src/cli/bin.js)
 * run the current source. tsc emits even when some file has a type error (another engineer's work in
 * progress); the build then warns on stderr and the tests that need the bin still run.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

export default function setup(): void {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8' })
  if (r.status !== 0) process.stderr.write(`global-setup: tsc reported errors (dist still emitted):\n${(r.stdout + r.stderr).slice(0, 4000)}\n`)
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'bin.js'))) throw new Error('global-setup: the build did not produce dist/src/cli/bin.js')
}

/**
 * What `npm publish` would ship: `npm pack --dry-run --json --ignore-scripts` over the dist/ that
 * test/global-setup.ts built (the scripts are skipped so the test does not build a second time; the real
 * `npm pack` runs prepack + prepare). The tarball holds the bin, the entry, the LICENSE and the README,
 * and none of the benchmark, simulation, fault-suite or test internals; every source map carries its
 * sources inline, so none points at a .ts file the tarball does not have.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const run = promisify(execFile)

interface PackReport {
  name: string
  files: { path: string }[]
}

let report: PackReport
let paths: string[]

beforeAll(async () => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const { stdout } = await run(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })
  report = (JSON.parse(stdout) as PackReport[])[0]
  paths = report.files.map((f) => f.path)
})

describe('npm pack', () => {
  it('is published as repram-mesh with the repram bin, the entry, LICENSE and README', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string>; main: string }
    expect(report.name).toBe('repram-mesh')
    expect(Object.keys(pkg.bin)).toEqual(['repram'])
    expect(paths).toContain(pkg.bin.repram)
    expect(paths).toContain(pkg.main)
    expect(paths).toContain('dist/src/index.d.ts')
    expect(paths).toContain('LICENSE')
    expect(paths).toContain('README.md')
    expect(paths).toContain('package.json')
  })

  it('ships no benchmark, simulation, fault-suite or test files and no TypeScript sources', () => {
    expect(paths.filter((p) => p.startsWith('dist/scripts/') || p.startsWith('dist/test/') || p.startsWith('scripts/') || p.startsWith('test/'))).toEqual([])
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([])
    expect(paths.filter((p) => p.startsWith('node_modules/') || p.startsWith('sim-results/') || p.startsWith('.build'))).toEqual([])
  })

  it('every source map in it carries its sources inline (none dangles)', () => {
    const maps = paths.filter((p) => p.endsWith('.map'))
    expect(maps.length).toBeGreaterThan(0)
    const dangling = maps.filter((p) => {
      const map = JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] }
      return map.sourcesContent?.length !== map.sources.length || map.sourcesContent.some((s) => typeof s !== 'string')
    })
    expect(dangling).toEqual([])
  })
})

/**
 * `repram ls [--prefix P] [--limit N] [--json]`: every live key (all pages), one per line.
 */
import { DEFAULT_LIST_PAGE_SIZE } from '../../client/repram-client.js'
import { COMMON_FLAGS_HELP, clientFrom, EXIT_CODES_HELP, parseVerbArgs, runVerb, UsageError, writeStdout } from './verb-common.js'

const HELP = `repram ls — list live keys, sorted

Usage:
  repram ls [--prefix P] [--limit N] [--json]

Options:
  --prefix P       only keys starting with P (e.g. heartbeat: lists live agents, lock: held locks)
  --limit N        at most N keys (default: all of them, fetched page by page)
  --json           print one JSON array instead of one key per line
${COMMON_FLAGS_HELP}

${EXIT_CODES_HELP}
`

export async function run(argv: string[]): Promise<number> {
  return runVerb('ls', HELP, argv, async () => {
    const { values, positionals } = parseVerbArgs(argv, { prefix: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } })
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; use --prefix`)
    let limit = Number.POSITIVE_INFINITY
    if (values.limit !== undefined) {
      if (typeof values.limit !== 'string' || !/^\d{1,9}$/.test(values.limit) || Number(values.limit) <= 0)
        throw new UsageError(`--limit must be a positive whole number, got ${JSON.stringify(values.limit)}`)
      limit = Number(values.limit)
    }
    const client = clientFrom(values)
    const pageSize = Math.min(limit, DEFAULT_LIST_PAGE_SIZE)
    const keys: string[] = []
    let count = 0
    for await (const key of client.listAll({ prefix: typeof values.prefix === 'string' ? values.prefix : undefined, pageSize })) {
      if (count >= limit) break
      count++
      if (values.json) keys.push(key)
      else await writeStdout(`${key}\n`)
    }
    if (values.json) await writeStdout(`${JSON.stringify(keys)}\n`)
    return 0
  })
}

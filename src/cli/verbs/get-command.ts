/**
 * `repram get KEY [--json]`: the value's exact bytes on stdout, or its metadata (and the value as
 * text or base64) as JSON.
 */
import type { ClientRecord } from '../../client/repram-client.js'
import { COMMON_FLAGS_HELP, clientFrom, EXIT_CODES_HELP, parseVerbArgs, runVerb, UsageError, writeStdout } from './verb-common.js'

const HELP = `repram get — print the value stored under a key

Usage:
  repram get KEY [--json] [--meta]

Options:
  --json           print {"key","value","encoding","size","created_at","expires_at","remaining_ttl",
                   "original_ttl","etag"} instead of the raw bytes; value is UTF-8 text, or base64
                   (encoding "base64") when the bytes are not valid UTF-8
  --meta           with --json: leave the value out (a HEAD request; the value is not transferred)
${COMMON_FLAGS_HELP}

Without --json the exact bytes go to stdout, nothing added (no trailing newline).

${EXIT_CODES_HELP}
`

const utf8 = new TextDecoder('utf-8', { fatal: true })

export async function run(argv: string[]): Promise<number> {
  return runVerb('get', HELP, argv, async () => {
    const { values, positionals } = parseVerbArgs(argv, { json: { type: 'boolean' }, meta: { type: 'boolean' } })
    if (positionals.length !== 1) throw new UsageError('expected exactly one KEY')
    if (values.meta && !values.json) throw new UsageError('--meta only goes with --json')
    const key = positionals[0]
    const client = clientFrom(values)
    if (!values.json) {
      const r = await client.get(key)
      await writeStdout(r.value)
      return 0
    }
    const r = values.meta ? await client.head(key) : await client.get(key)
    const value = 'value' in r ? (r as ClientRecord).value : undefined
    const out: Record<string, unknown> = { key: r.key }
    if (value) {
      try {
        out.value = utf8.decode(value)
        out.encoding = 'utf8'
      } catch {
        out.value = Buffer.from(value).toString('base64')
        out.encoding = 'base64'
      }
    }
    Object.assign(out, {
      size: r.size,
      created_at: new Date(r.createdAt).toISOString(),
      expires_at: new Date(r.expiresAt).toISOString(),
      remaining_ttl: r.remainingTtl,
      original_ttl: r.originalTtl,
      etag: r.etag,
    })
    await writeStdout(`${JSON.stringify(out)}\n`)
    return 0
  })
}

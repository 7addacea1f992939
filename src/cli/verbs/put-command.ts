/**
 * `repram put KEY [VALUE] --ttl N`: stores VALUE (or all of stdin, byte for byte) under KEY and
 * prints the gateway's answer as one JSON line.
 */
import { COMMON_FLAGS_HELP, clientFrom, EXIT_CODES_HELP, parseVerbArgs, readStdin, runVerb, ttlFlag, UsageError, writeStdout } from './verb-common.js'

const HELP = `repram put — store a value under a key, for a limited time

Usage:
  repram put KEY VALUE [--ttl N]
  repram put KEY [--ttl N] < file        value read from stdin, binary-safe

Options:
  --ttl N          seconds until the value is destroyed; the node clamps it to its bounds
                   (by default 300..86400) and prints the TTL applied; omitted: its default (3600)
${COMMON_FLAGS_HELP}

Overwriting a key is silent and restarts its TTL. There is no delete. A key that starts with "-" goes
after "--": repram put -- -key value.

Prints {"key","ttl","expires_at","replicas","quorum","confirmed"} on stdout; ttl is the TTL applied.
confirmed=false means stored but still replicating (HTTP 202); the exit code is 0 either way.

${EXIT_CODES_HELP}
`

export async function run(argv: string[]): Promise<number> {
  return runVerb('put', HELP, argv, async () => {
    const { values, positionals } = parseVerbArgs(argv, { ttl: { type: 'string' } })
    if (positionals.length < 1 || positionals.length > 2) throw new UsageError('expected KEY and an optional VALUE')
    const [key, text] = positionals
    const ttl = ttlFlag(values.ttl)
    const client = clientFrom(values)
    if (text === undefined && process.stdin.isTTY) process.stderr.write('repram put: reading the value from stdin (end with Ctrl-D)\n')
    const value = text === undefined ? await readStdin() : text
    const r = await client.put(key, value, { ttl })
    if (!r.confirmed) process.stderr.write(`repram put: stored on ${r.replicas} of ${r.quorum} needed replicas so far; still replicating\n`)
    const out = { key: r.key, ttl: r.ttl, expires_at: new Date(r.expiresAt).toISOString(), replicas: r.replicas, quorum: r.quorum, confirmed: r.confirmed }
    await writeStdout(`${JSON.stringify(out)}\n`)
    return 0
  })
}

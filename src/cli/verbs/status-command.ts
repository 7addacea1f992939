/**
 * `repram status`: the gateway's /v1/status as indented JSON.
 */
import { COMMON_FLAGS_HELP, clientFrom, EXIT_CODES_HELP, parseVerbArgs, runVerb, UsageError, writeStdout } from './verb-common.js'

const HELP = `repram status — the node's status: id, peers, keys, bytes, uptime, memory

Usage:
  repram status

Options:
${COMMON_FLAGS_HELP}

Prints the gateway's GET /v1/status answer as JSON.

${EXIT_CODES_HELP}
`

export async function run(argv: string[]): Promise<number> {
  return runVerb('status', HELP, argv, async () => {
    const { values, positionals } = parseVerbArgs(argv, {})
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
    const status = await clientFrom(values).status()
    await writeStdout(`${JSON.stringify(status, null, 2)}\n`)
    return 0
  })
}

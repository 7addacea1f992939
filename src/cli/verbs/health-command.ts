/**
 * `repram health`: the gateway's /v1/health as JSON; exit 0 when healthy, 5 when the node answers
 * but cannot serve, 6 when nothing answers — usable as a container health check.
 */
import { ERROR_TABLE } from '../../shared/error-table.js'
import { COMMON_FLAGS_HELP, clientFrom, EXIT_CODES_HELP, parseVerbArgs, runVerb, UsageError, writeStdout } from './verb-common.js'

const HELP = `repram health — is the node healthy?

Usage:
  repram health

Options:
${COMMON_FLAGS_HELP}

Prints {"status","node_id","network","enclave"}; exits 0 when status is "healthy", 5 when "unhealthy".

${EXIT_CODES_HELP}
`

export async function run(argv: string[]): Promise<number> {
  return runVerb('health', HELP, argv, async () => {
    const { values, positionals } = parseVerbArgs(argv, {})
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
    const health = await clientFrom(values).health()
    await writeStdout(`${JSON.stringify(health)}\n`)
    return health.status === 'healthy' ? 0 : ERROR_TABLE.unavailable.exitCode
  })
}

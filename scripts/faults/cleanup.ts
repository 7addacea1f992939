/**
 * Process-wide cleanup: every node process, namespace, bridge and nftables table the harness creates
 * registers an undo here, run in reverse order on a normal finish, on exit, on SIGINT/SIGTERM/SIGHUP
 * and on an uncaught exception, so nothing outlives the harness (also when it fails). Undos are
 * synchronous (an 'exit' handler cannot await) and each runs at most once.
 */

type Undo = () => void

const undos = new Map<number, Undo>()
let nextId = 1
let installed = false

function runAll(): void {
  const ids = [...undos.keys()].sort((a, b) => b - a)
  for (const id of ids) {
    const fn = undos.get(id)
    undos.delete(id)
    try {
      fn?.()
    } catch (err) {
      process.stderr.write(`faults: cleanup step failed: ${err instanceof Error ? err.message : String(err)}\n`)
    }
  }
}

function install(): void {
  if (installed) return
  installed = true
  process.on('exit', runAll)
}

/**
 * For the CLI: SIGINT/SIGTERM/SIGHUP clean up and exit (an 'exit' handler does not run when a signal
 * kills the process). Not installed under vitest, whose workers are ended by signals of their own;
 * the tests clean up in afterAll.
 */
export function cleanUpOnSignals(): void {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      if (undos.size > 0) process.stderr.write(`\nfaults: ${sig}, stopping every node and removing the namespaces\n`)
      runAll()
      process.exit(sig === 'SIGINT' ? 130 : 143)
    })
  }
}

/** Registers a synchronous undo; returns a function that runs it now (and unregisters it). */
export function onCleanup(fn: Undo): () => void {
  install()
  const id = nextId++
  undos.set(id, fn)
  return () => {
    const f = undos.get(id)
    if (!f) return
    undos.delete(id)
    f()
  }
}

/** Runs every registered undo now (the end of a run, or a test's afterAll). */
export function cleanupAll(): void {
  runAll()
}

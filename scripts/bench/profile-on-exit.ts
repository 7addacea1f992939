/**
 * Preloaded into processes the bench does not start itself (the mesh's `repram node`s, through
 * NODE_OPTIONS=--import, since --cpu-prof is not allowed there): profiles the whole process and writes
 * BENCH_CPU_PROF_DIR/node-PID.cpuprofile when it exits. The in-thread inspector session answers
 * synchronously, so the 'exit' handler can still collect the profile.
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { join } from 'node:path'

/** µs between samples, as profiler.ts. */
const SAMPLING_INTERVAL_US = 100

const dir = process.env.BENCH_CPU_PROF_DIR
if (dir) {
  const session = new Session()
  session.connect()
  session.post('Profiler.enable')
  session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US })
  session.post('Profiler.start')
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err && result) writeFileSync(join(dir, `node-${process.pid}.cpuprofile`), JSON.stringify(result.profile))
    })
  })
}

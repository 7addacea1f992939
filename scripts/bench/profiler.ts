/**
 * In-process CPU profiling of a bench child, started and stopped on command so the profile covers
 * the measured load only (not start-up or a 1M-key preload). Writes a .cpuprofile that Chrome
 * DevTools opens and profile-summary.ts reads.
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'

/** µs between samples: fine enough to rank functions over a few seconds of load. */
const SAMPLING_INTERVAL_US = 100

export class ChildProfiler {
  private session: Session | undefined

  private post<T>(method: string, params?: object): Promise<T> {
    const session = this.session
    if (!session) return Promise.reject(new Error('profiler not started'))
    return new Promise<T>((resolve, reject) => {
      session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T)))
    })
  }

  async start(): Promise<void> {
    if (this.session) return
    this.session = new Session()
    this.session.connect()
    await this.post('Profiler.enable')
    await this.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US })
    await this.post('Profiler.start')
  }

  async stop(file: string): Promise<void> {
    if (!this.session) return
    const { profile } = await this.post<{ profile: object }>('Profiler.stop')
    this.session.disconnect()
    this.session = undefined
    writeFileSync(file, JSON.stringify(profile))
  }
}

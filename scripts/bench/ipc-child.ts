/**
 * The child side of the bench's IPC: announce readiness (with the URL under test), answer commands
 * by name, and exit after `stop`. Commands run one at a time, between load runs, never during one.
 */
export type CommandHandler = (args: Record<string, unknown>) => Promise<unknown>

export interface IpcRequest {
  id: number
  cmd: string
  args?: Record<string, unknown>
}

export interface IpcReply {
  id: number
  ok: boolean
  result?: unknown
  error?: string
}

export function serveIpc(url: string, handlers: Record<string, CommandHandler>): void {
  const send = process.send?.bind(process)
  if (!send) throw new Error('bench child started without an IPC channel')
  process.on('message', (msg: IpcRequest) => {
    const handler = handlers[msg.cmd]
    const reply = (r: IpcReply): void => {
      send(r)
      if (msg.cmd === 'stop') process.disconnect()
    }
    if (!handler) {
      reply({ id: msg.id, ok: false, error: `unknown command ${msg.cmd}` })
      return
    }
    handler(msg.args ?? {}).then(
      (result) => reply({ id: msg.id, ok: true, result }),
      (err: unknown) => reply({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    )
  })
  // The parent going away (bench killed) takes the child with it.
  process.on('disconnect', () => process.exit(0))
  send({ ready: true, url, pid: process.pid })
}

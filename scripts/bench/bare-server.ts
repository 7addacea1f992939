/**
 * The ceiling: the least a Node HTTP server can do per request, run as its own child process so it
 * gets a core of its own, exactly like the gateway under test. GET and HEAD answer a fixed 1 KiB;
 * PUT reads the whole body and stores it in a Map under the path (so it pays for the body and the
 * memory, as the gateway does). It reports its URL to the bench over IPC.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serveIpc } from './ipc-child.js'

/** The value GET answers: 1 KiB, the size every scenario of the bench uses. */
const VALUE_BYTES = 1024
const VALUE = Buffer.alloc(VALUE_BYTES, 'x')
const GET_HEADERS = { 'content-type': 'application/octet-stream', 'content-length': String(VALUE_BYTES) }
const PUT_HEADERS = { 'content-type': 'application/json' }

const store = new Map<string, Buffer>()

const server = createServer((req, res) => {
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.writeHead(200, GET_HEADERS)
    res.end(req.method === 'GET' ? VALUE : undefined)
    return
  }
  if (req.method === 'PUT') {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      store.set(req.url ?? '', Buffer.concat(chunks))
      res.writeHead(201, PUT_HEADERS)
      res.end('{"stored":true}')
    })
    return
  }
  res.writeHead(405, { allow: 'GET, HEAD, PUT' })
  res.end()
})

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  serveIpc(`http://127.0.0.1:${port}`, {
    stats: async () => ({ keys: store.size }),
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  })
})

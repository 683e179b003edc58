// The Hocuspocus peer for the document benchmark: @hocuspocus/server 4.x with no extensions
// (documents in memory, no persistence), quiet, every other option at its default.
//   node --expose-gc hocuspocus-server.mjs --port 1235
// ws://127.0.0.1:PORT (documents named in the messages); GET /health; GET /mem as the other peers.
import { Server } from '@hocuspocus/server'

const args = process.argv.slice(2)
const port = Number(args[args.indexOf('--port') + 1] || 1235)

const server = new Server({
  port,
  address: '127.0.0.1',
  quiet: true,
  async onRequest ({ request, response }) {
    if (request.url === '/mem') {
      if (global.gc) global.gc()
      const m = process.memoryUsage()
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ heapUsed: m.heapUsed, rss: m.rss, docs: server.hocuspocus.getDocumentsCount() }))
      throw null // eslint-disable-line no-throw-literal -- Hocuspocus' way to say "answered"
    }
    if (request.url === '/health') {
      response.writeHead(200)
      response.end('ok')
      throw null // eslint-disable-line no-throw-literal
    }
  }
})
await server.listen()
console.log(`hocuspocus listening on ${port}`)

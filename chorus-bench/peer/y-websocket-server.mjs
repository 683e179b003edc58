// The y-websocket peer for the document benchmark: @y/websocket-server 0.1.1's own connection
// handler (setupWSConnection: y-protocols sync + awareness, documents in memory, no persistence)
// behind an HTTP server that also answers the load generator.
//   node --expose-gc y-websocket-server.mjs --port 1234
// ws://127.0.0.1:PORT/<document>; GET /health; GET /mem -> {"heapUsed", "rss", "docs"} after a GC.
import http from 'node:http'
import { WebSocketServer } from 'ws'
import { setupWSConnection, docs } from '@y/websocket-server/utils'

const args = process.argv.slice(2)
const port = Number(args[args.indexOf('--port') + 1] || 1234)
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })

const server = http.createServer((req, res) => {
  if (req.url === '/mem') {
    if (global.gc) global.gc()
    const m = process.memoryUsage()
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ heapUsed: m.heapUsed, rss: m.rss, docs: docs.size }))
    return
  }
  res.writeHead(req.url === '/health' ? 200 : 404)
  res.end(req.url === '/health' ? 'ok' : '')
})
wss.on('connection', setupWSConnection)
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)))
server.listen(port, '127.0.0.1', () => console.log(`y-websocket-server listening on ${port}`))

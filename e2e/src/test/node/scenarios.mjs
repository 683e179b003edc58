// Scenarios run by the e2e JUnit tests (YjsWebsocketTest, HocuspocusTest) against a Chorus server
// they started: real yjs, y-websocket and @hocuspocus/provider clients over real sockets.
// Usage: node scenarios.mjs <scenario> '<json args>'  ->  one JSON object on stdout.
// A failed expectation throws: the process exits with 1 and the message on stderr.
import * as Y from 'yjs'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as encoding from 'lib0/encoding'

const [, , scenario, rawArgs] = process.argv
const args = JSON.parse(rawArgs || '{}')
const b64 = (u8) => Buffer.from(u8).toString('base64')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function check (cond, message) {
  if (!cond) throw new Error(message)
}

async function waitFor (what, cond, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what)
    await sleep(20)
  }
}

/** The roots every scenario uses, as plain JSON. */
function content (doc) {
  return {
    text: doc.getText('text').toString(),
    map: doc.getMap('map').toJSON(),
    array: doc.getArray('array').toJSON(),
    xml: doc.getXmlFragment('xml').toString()
  }
}

/** JSON with object keys sorted: a Y.Map lists its keys in the order this replica learnt them. */
const canonical = (v) => JSON.stringify(v, (k, x) => (x && typeof x === 'object' && !Array.isArray(x))
  ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  : x)
const same = (a, b) => canonical(a) === canonical(b)

async function converged (docs, timeoutMs = 10000) {
  try {
    await waitFor('convergence', () => docs.every((d) =>
      same(content(d), content(docs[0])) && Buffer.compare(Y.encodeStateVector(d), Y.encodeStateVector(docs[0])) === 0), timeoutMs)
  } catch (e) {
    const vectors = docs.map((d) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(d))]))
    const roots = Object.keys(content(docs[0])).filter((k) => !docs.every((d) => same(content(d)[k], content(docs[0])[k])))
    const pending = docs.map((d) => d.store.pendingStructs !== null || d.store.pendingDs !== null)
    throw new Error(`${e.message}: state vectors ${vectors.join(' | ')}; roots that differ: ${roots}; pending: ${pending}`)
  }
}

const yProviders = []
function yClient (room, opts = {}) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(args.url + '/yjs', room, doc, { WebSocketPolyfill: WebSocket, disableBc: true, ...opts })
  provider.on('connection-close', (event) => {
    if (event) console.error(`y-websocket ${room} closed: ${event.code} ${event.reason}`)
  })
  yProviders.push(provider)
  return { doc, provider }
}

const synced = (provider) => waitFor('sync of ' + provider.roomname, () => provider.synced)

const sockets = []
function hocusSocket () {
  const socket = new HocuspocusProviderWebsocket({ url: args.url + '/hocuspocus', WebSocketPolyfill: WebSocket })
  sockets.push(socket)
  return socket
}

/** A Hocuspocus provider attached to {@code socket}, recording what it was told. */
function hocusClient (socket, name, token) {
  const doc = new Y.Doc()
  const seen = { authenticated: null, failed: null, stateless: [], synced: false }
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: doc,
    token,
    onAuthenticated: ({ scope }) => { seen.authenticated = scope },
    onAuthenticationFailed: ({ reason }) => { seen.failed = reason },
    onStateless: ({ payload }) => seen.stateless.push(payload),
    onSynced: () => { seen.synced = true }
  })
  provider.attach()
  return { doc, provider, seen }
}

/** Concurrent edits of every kind by client {@code i}, interleaved with the others. */
async function edit (doc, i, rounds) {
  for (let j = 0; j < rounds; j++) {
    doc.transact(() => {
      const text = doc.getText('text')
      text.insert(Math.floor(Math.random() * (text.length + 1)), `[${i}.${j}]`)
      if (j % 5 === 4 && text.length > 3) text.delete(1, 2)
      doc.getMap('map').set(`k${i}`, j)
      doc.getMap('map').set('shared', `${i}.${j}`)
      const array = doc.getArray('array')
      array.insert(Math.floor(Math.random() * (array.length + 1)), [{ by: i, n: j }])
      if (j % 7 === 6) array.delete(0, 1)
      const el = new Y.XmlElement('p')
      el.setAttribute('by', String(i))
      el.insert(0, [new Y.XmlText(`t${i}.${j}`)])
      doc.getXmlFragment('xml').insert(0, [el])
    })
    await sleep(Math.random() * 4)
  }
}

/** A raw WebSocket that records how it was closed. */
function raw (path) {
  const ws = new WebSocket(args.url + path)
  ws.binaryType = 'nodebuffer'
  const state = { open: false, closed: null, messages: [] }
  ws.on('open', () => { state.open = true })
  ws.on('message', (m) => state.messages.push(m))
  ws.on('close', (code, reason) => { state.closed = { code, reason: reason.toString() } })
  ws.on('unexpected-response', (req, res) => { state.closed = { status: res.statusCode }; ws.terminate() })
  ws.on('error', () => {})
  return { ws, state }
}

const scenarios = {
  /** Several clients edit every type at once, one edits offline, a fresh one loads the result. */
  async converge () {
    const clients = [0, 1, 2].map(() => yClient(args.room))
    await Promise.all(clients.map((c) => synced(c.provider)))
    await Promise.all(clients.map((c, i) => edit(c.doc, i, 30)))
    await converged(clients.map((c) => c.doc))

    // client 0 goes offline and edits; so does client 1, online
    clients[0].provider.disconnect()
    await waitFor('disconnect', () => !clients[0].provider.wsconnected)
    clients[0].doc.getText('text').insert(0, 'offline-edit ')
    clients[0].doc.getMap('map').set('offline', true)
    clients[1].doc.getArray('array').push(['online-edit'])
    await sleep(200)
    check(!clients[1].doc.getMap('map').has('offline'), 'an offline edit reached another client')
    clients[0].provider.connect()
    await converged(clients.map((c) => c.doc))
    check(clients[1].doc.getText('text').toString().startsWith('offline-edit '), 'the offline edit did not merge')

    const fresh = yClient(args.room)
    await synced(fresh.provider)
    await converged([...clients.map((c) => c.doc), fresh.doc])
    return { content: content(clients[0].doc), fresh: content(fresh.doc), update: b64(Y.encodeStateAsUpdate(fresh.doc)) }
  },

  /** A second client sees the first's awareness state, and its removal once the first is gone. */
  async awareness () {
    const a = yClient(args.room)
    const b = yClient(args.room)
    await Promise.all([synced(a.provider), synced(b.provider)])
    a.provider.awareness.setLocalStateField('user', { name: 'ann', color: '#f00' })
    const aId = a.doc.clientID
    await waitFor('awareness of a at b', () => b.provider.awareness.getStates().get(aId)?.user?.name === 'ann')
    // a late joiner gets the known states when it opens
    const c = yClient(args.room)
    await synced(c.provider)
    await waitFor('awareness of a at c', () => c.provider.awareness.getStates().get(aId)?.user?.name === 'ann')
    // a's socket closes without a goodbye: the server removes a's state and tells the others
    a.provider.shouldConnect = false
    a.provider.ws.terminate()
    await waitFor('removal of a at b', () => !b.provider.awareness.getStates().has(aId))
    await waitFor('removal of a at c', () => !c.provider.awareness.getStates().has(aId))
    return { removed: true, bSeesItself: b.provider.awareness.getStates().has(b.doc.clientID) }
  },

  /** A read-only client syncs, its writes are refused with permission-denied, nothing changes. */
  async readOnly () {
    const writer = yClient(args.room, { params: { token: args.writeToken } })
    await synced(writer.provider)
    writer.doc.getText('text').insert(0, 'by the writer')
    const denied = []
    const warn = console.warn
    console.warn = (...m) => { if (String(m[0]).startsWith('Permission denied')) denied.push(String(m[0])); else warn(...m) }
    const reader = yClient(args.room, { params: { token: args.readToken } })
    await synced(reader.provider)
    await waitFor('writer text at reader', () => reader.doc.getText('text').toString() === 'by the writer')
    await sleep(200)
    check(denied.length === 0, 'a read-only client that wrote nothing was refused: ' + denied)
    reader.doc.getText('text').insert(0, 'READER ')
    await waitFor('permission denied', () => denied.length > 0)
    await sleep(300)
    check(writer.doc.getText('text').toString() === 'by the writer', 'the read-only edit reached the writer')
    // the writer still writes
    writer.doc.getMap('map').set('after', 1)
    await waitFor('writer edit at reader', () => reader.doc.getMap('map').get('after') === 1)
    console.warn = warn
    return { denied: denied[0], writer: content(writer.doc) }
  },

  /** Malformed messages close only the sender (4003); the document and the other clients carry on. */
  async malformed () {
    const good = yClient(args.room)
    const peer = yClient(args.room)
    await Promise.all([synced(good.provider), synced(peer.provider)])
    good.doc.getText('text').insert(0, 'intact')
    await waitFor('first edit at peer', () => peer.doc.getText('text').toString() === 'intact')
    const results = {}
    const attempts = {
      // sync update whose payload is not a Yjs update
      badUpdate: () => { const e = encoding.createEncoder(); encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 2); encoding.writeVarUint8Array(e, new Uint8Array([1, 200, 7, 7, 7, 1, 1])); return encoding.toUint8Array(e) },
      unknownType: () => new Uint8Array([42]),
      truncated: () => new Uint8Array([0, 2, 50, 1, 2]),
      badSyncStep: () => new Uint8Array([0, 9, 1, 0]),
      text: () => 'hello'
    }
    for (const [name, make] of Object.entries(attempts)) {
      const r = raw('/yjs/' + encodeURIComponent(args.room))
      await waitFor('raw open', () => r.state.open || r.state.closed)
      await waitFor('server step 1', () => r.state.messages.length > 0)
      r.ws.send(make())
      await waitFor('close after ' + name, () => r.state.closed)
      results[name] = r.state.closed
    }
    good.doc.getText('text').insert(6, ' and well')
    await waitFor('later edit at peer', () => peer.doc.getText('text').toString() === 'intact and well')
    check(good.provider.wsconnected && peer.provider.wsconnected, 'a well-behaved client was disconnected')
    return { results, content: content(peer.doc) }
  },

  /** Two documents on one Hocuspocus socket, token auth, sync status, stateless, a second socket. */
  async hocuspocus () {
    const socket = hocusSocket()
    const one = hocusClient(socket, args.doc1, args.writeToken)
    const two = hocusClient(socket, args.doc2, args.writeToken)
    await waitFor('hocuspocus sync', () => one.seen.synced && two.seen.synced)
    check(one.seen.authenticated === 'read-write' && two.seen.authenticated === 'read-write', 'scope: ' + one.seen.authenticated)
    one.doc.getText('text').insert(0, 'first document')
    two.doc.getMap('map').set('second', 'document')
    await waitFor('sync status acks', () => !one.provider.hasUnsyncedChanges && !two.provider.hasUnsyncedChanges)

    // another socket: the same two documents, and a stateless message
    const other = hocusSocket()
    const one2 = hocusClient(other, args.doc1, args.writeToken)
    const two2 = hocusClient(other, args.doc2, args.writeToken)
    await waitFor('second socket sync', () => one2.seen.synced && two2.seen.synced)
    await waitFor('content on the second socket', () => one2.doc.getText('text').toString() === 'first document' &&
      two2.doc.getMap('map').get('second') === 'document')
    one.provider.sendStateless('{"hello":1}')
    await waitFor('stateless relay', () => one2.seen.stateless.length === 1)
    check(two2.seen.stateless.length === 0, 'a stateless message reached another document')

    // a bad token and a read-only token on the first socket
    const bad = hocusClient(socket, args.doc3, 'not-a-token')
    await waitFor('permission denied', () => bad.seen.failed !== null)
    const roSocket = hocusSocket()
    const reader = hocusClient(roSocket, args.doc1, args.readToken)
    await waitFor('read-only sync', () => reader.seen.synced && reader.doc.getText('text').toString() === 'first document')
    check(reader.seen.authenticated === 'readonly', 'read-only scope: ' + reader.seen.authenticated)
    await waitFor('read-only sync acknowledged', () => !reader.provider.hasUnsyncedChanges)
    reader.doc.getText('text').insert(0, 'READER ')
    await sleep(400)
    check(reader.provider.hasUnsyncedChanges, 'a read-only write was acknowledged as saved')
    check(one.doc.getText('text').toString() === 'first document', 'a read-only write reached a writer')
    // the first socket still works for its other documents
    two.doc.getMap('map').set('later', 2)
    await waitFor('later edit', () => two2.doc.getMap('map').get('later') === 2)
    return { bad: bad.seen.failed, doc1: content(one.doc), doc2: content(two.doc) }
  },

  /** A y-websocket client and a Hocuspocus provider in the same document converge. */
  async mixed () {
    const y = yClient(args.room)
    const socket = hocusSocket()
    const h = hocusClient(socket, args.room, args.writeToken || '')
    await Promise.all([synced(y.provider), waitFor('hocuspocus sync', () => h.seen.synced)])
    await Promise.all([edit(y.doc, 0, 20), edit(h.doc, 1, 20)])
    await converged([y.doc, h.doc])
    h.provider.awareness.setLocalStateField('user', 'hocus')
    await waitFor('hocuspocus awareness at y-websocket', () => y.provider.awareness.getStates().get(h.doc.clientID)?.user === 'hocus')
    await waitFor('sync status acks', () => !h.provider.hasUnsyncedChanges)
    return { content: content(y.doc), update: b64(Y.encodeStateAsUpdate(h.doc)) }
  }
}

/** A state vector as a plain object: client id -> clock. */
const vector = (doc) => Object.fromEntries([...Y.decodeStateVector(Y.encodeStateVector(doc))].map(([c, k]) => [String(c), k]))

/**
 * The kill -9 scenario, first half (YjsKillTest): two clients edit until each has received the
 * other's edits (so the server broadcast them, so it had stored them), say so on a first line; then
 * client a goes on editing until the test kills the server. Once both sockets are gone, a second
 * line tells what each client holds.
 */
scenarios.killEdit = async function () {
  const a = yClient(args.room)
  const b = yClient(args.room)
  await Promise.all([synced(a.provider), synced(b.provider)])
  await Promise.all([edit(a.doc, 0, args.rounds), edit(b.doc, 1, args.rounds)])
  await converged([a.doc, b.doc])
  process.stdout.write(JSON.stringify({ converged: b64(Y.encodeStateAsUpdate(a.doc)), vector: vector(a.doc) }) + '\n')
  const gone = (c) => !c.provider.wsconnected
  for (const c of [a, b]) c.provider.on('connection-close', () => { c.provider.shouldConnect = false })
  let n = 0
  while (!gone(a) || !gone(b)) {
    if (!gone(a)) a.doc.getArray('array').push([`after ${n++}`])
    await sleep(2)
  }
  return { a: b64(Y.encodeStateAsUpdate(a.doc)), aVector: vector(a.doc), b: b64(Y.encodeStateAsUpdate(b.doc)), bVector: vector(b.doc), tail: n }
}

/** The second half: what a fresh y-websocket client and a Hocuspocus provider load after the restart. */
scenarios.killLoad = async function () {
  const y = yClient(args.room)
  const h = hocusClient(hocusSocket(), args.room, '')
  await Promise.all([synced(y.provider), waitFor('hocuspocus sync', () => h.seen.synced)])
  await converged([y.doc, h.doc], 3000)
  // apply what each side held before the kill to a copy of the loaded state: whatever changes the
  // copy was not stored
  const adds = (update) => {
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(y.doc))
    Y.applyUpdate(copy, Buffer.from(update, 'base64'))
    return !same(content(copy), content(y.doc)) || !same(vector(copy), vector(y.doc))
  }
  return {
    content: content(y.doc),
    hocuspocus: content(h.doc),
    vector: vector(y.doc),
    hocuspocusVector: vector(h.doc),
    convergedAddsSomething: adds(args.converged),
    bAddsSomething: adds(args.b),
    loadedAddsToA: (() => {
      const copy = new Y.Doc()
      Y.applyUpdate(copy, Buffer.from(args.a, 'base64'))
      const before = { c: content(copy), v: vector(copy) }
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(y.doc))
      return !same(content(copy), before.c) || !same(vector(copy), before.v)
    })()
  }
}

/**
 * Stock clients on different nodes of a cluster (YjsClusterTest): one y-websocket client per node
 * URL edit one document at once, then a Hocuspocus provider on the last node joins; all converge.
 */
scenarios.acrossNodes = async function () {
  const clients = args.urls.map((url) => {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(url + '/yjs', args.room, doc, { WebSocketPolyfill: WebSocket, disableBc: true })
    yProviders.push(provider)
    return { doc, provider }
  })
  await Promise.all(clients.map((c) => synced(c.provider)))
  await Promise.all(clients.map((c, i) => edit(c.doc, i, 20)))
  const socket = new HocuspocusProviderWebsocket({ url: args.urls[args.urls.length - 1] + '/hocuspocus', WebSocketPolyfill: WebSocket })
  sockets.push(socket)
  const h = hocusClient(socket, args.room, '')
  await waitFor('hocuspocus sync', () => h.seen.synced, 20000)
  await converged([...clients.map((c) => c.doc), h.doc], 20000)
  return { content: content(clients[0].doc), vector: vector(clients[0].doc) }
}

const run = scenarios[scenario]
if (!run) {
  console.error('unknown scenario ' + scenario)
  process.exit(2)
}
const timer = setTimeout(() => { console.error('scenario ' + scenario + ' took longer than 40 s'); process.exit(3) }, 40000)
try {
  const result = await run()
  process.stdout.write(JSON.stringify(result) + '\n')
  clearTimeout(timer)
  for (const p of yProviders) p.destroy()
  for (const s of sockets) s.destroy()
  setTimeout(() => process.exit(0), 50)
} catch (e) {
  console.error(e.stack || String(e))
  process.exit(1)
}

// Runs a random multi-client editing session with the real yjs and prints JSON describing it:
// every update in the order an observer replica received it (shuffled, with duplicates, so often
// out of causal order) plus the observer's state after each delivery and at the end.
// Usage: node session.mjs <seed> [steps] [gc:true|false]
import * as Y from 'yjs'

const seed = Number(process.argv[2] ?? 1)
const steps = Number(process.argv[3] ?? 60)
const gc = (process.argv[4] ?? 'true') === 'true'

let s = seed >>> 0
const rnd = () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296 }
const int = n => Math.floor(rnd() * n)
const pick = a => a[int(a.length)]
const b64 = u => Buffer.from(u).toString('base64')

const declare = doc => { doc.getMap('m'); doc.getArray('a'); doc.getText('t'); doc.getXmlFragment('x') }
const nClients = 2 + int(3)
const clients = []
const updates = [] // { from, bytes }
for (let i = 0; i < nClients; i++) {
  const doc = new Y.Doc({ gc })
  doc.clientID = 1 + int(1000) * 10 + i // distinct, small, deterministic
  declare(doc)
  doc.on('update', (u, origin, d, tr) => { if (tr.local) updates.push({ from: i, bytes: u }) })
  clients.push({ doc, delivered: new Set() })
}
const observer = { doc: new Y.Doc({ gc }), delivered: new Set() }
observer.doc.clientID = 999999
declare(observer.doc)
const log = []
const checkpoints = []

const chars = ['a', 'b', 'c', 'x', 'y', ' ', '\n', 'é', '😀', '中']
const randStr = () => { let r = ''; const n = 1 + int(4); for (let i = 0; i < n; i++) r += pick(chars); return r }
const primitive = () => {
  switch (int(9)) {
    case 0: return int(1000) - 500
    case 1: return pick([0.5, 1.25, -3.75, 1e21, 2 ** 31, 123456.789])
    case 2: return randStr()
    case 3: return rnd() < 0.5
    case 4: return null
    case 5: return { k: int(10), s: randStr(), l: [1, 'two', null] }
    case 6: return [int(5), randStr()]
    case 7: return new Uint8Array([int(256), int(256)])
    default: return 'v' + int(100)
  }
}
const newType = () => {
  switch (int(4)) {
    case 0: { const m = new Y.Map(); if (rnd() < 0.5) m.set('init', int(10)); return m }
    case 1: { const a = new Y.Array(); if (rnd() < 0.5) a.insert(0, [int(10), 'z']); return a }
    case 2: return new Y.Text(rnd() < 0.5 ? randStr() : undefined)
    default: return new Y.Map()
  }
}
const collectTypes = doc => {
  const out = []
  const visit = t => {
    out.push(t)
    if (t instanceof Y.Map) t.forEach(v => { if (v instanceof Y.AbstractType) visit(v) })
    else if (t instanceof Y.Array || t instanceof Y.XmlFragment) t.toArray().forEach(v => { if (v instanceof Y.AbstractType) visit(v) })
  }
  ;['m', 'a', 't', 'x'].forEach(n => visit(doc.share.get(n)))
  return out
}
const attrsPick = () => pick([{ bold: true }, { italic: true }, { bold: null }, { bold: true, italic: true }, { color: '#f00' }, { link: { href: 'x' } }])

const edit = doc => {
  const t = pick(collectTypes(doc))
  if (t instanceof Y.XmlText || (t instanceof Y.Text)) {
    const len = t.length
    const r = int(6)
    if (r <= 1 || len === 0) t.insert(int(len + 1), randStr(), rnd() < 0.3 ? attrsPick() : undefined)
    else if (r === 2) { const p = int(len); t.delete(p, 1 + int(Math.min(3, len - p))) }
    else if (r === 3) { const p = int(len); t.format(p, 1 + int(Math.min(4, len - p)), attrsPick()) }
    else if (r === 4) t.insertEmbed(int(len + 1), { image: 'i' + int(9) }, rnd() < 0.5 ? { bold: true } : undefined)
    else t.insert(int(len + 1), randStr())
  } else if (t instanceof Y.XmlFragment) { // includes XmlElement
    const len = t.length
    const r = int(5)
    if (r <= 1 || len === 0) t.insert(int(len + 1), [rnd() < 0.5 ? new Y.XmlElement(pick(['p', 'h1', 'li'])) : new Y.XmlText(randStr())])
    else if (r === 2) t.delete(int(len), 1)
    else if (t instanceof Y.XmlElement) { if (rnd() < 0.7) t.setAttribute(pick(['a', 'b', 'class']), 'v' + int(9)); else t.removeAttribute(pick(['a', 'b'])) }
    else { const child = t.get(int(len)); if (child instanceof Y.XmlText) child.insert(0, randStr(), rnd() < 0.5 ? { bold: true } : undefined) }
  } else if (t instanceof Y.Array) {
    const len = t.length
    const r = int(5)
    if (r <= 1 || len === 0) { const c = []; const n = 1 + int(3); for (let i = 0; i < n; i++) c.push(primitive()); t.insert(int(len + 1), c) }
    else if (r === 2) t.insert(int(len + 1), [newType()])
    else { const p = int(len); t.delete(p, 1 + int(Math.min(2, len - p))) }
  } else if (t instanceof Y.Map) {
    const r = int(6)
    const k = 'k' + int(5)
    if (r <= 2) t.set(k, primitive())
    else if (r === 3) t.set(k, newType())
    else t.delete(k)
  }
}

const deliver = (rcv, idx) => {
  Y.applyUpdate(rcv.doc, updates[idx].bytes, 'remote')
  rcv.delivered.add(idx)
}
const syncSome = (rcv, self, all) => {
  const cand = []
  for (let i = 0; i < updates.length; i++) if (!rcv.delivered.has(i) && updates[i].from !== self) cand.push(i)
  const chosen = all ? cand : cand.filter(() => rnd() < 0.5)
  for (let i = chosen.length - 1; i > 0; i--) { const j = int(i + 1); [chosen[i], chosen[j]] = [chosen[j], chosen[i]] }
  if (rcv.delivered.size > 0 && rnd() < 0.3) chosen.splice(int(chosen.length + 1), 0, pick([...rcv.delivered]))
  for (const idx of chosen) {
    deliver(rcv, idx)
    if (rcv === observer) {
      log.push(idx)
      checkpoints.push({ sv: b64(Y.encodeStateVector(observer.doc)), state: b64(Y.encodeStateAsUpdate(observer.doc)) })
    }
  }
}

for (let step = 0; step < steps; step++) {
  const ci = int(nClients)
  const c = clients[ci]
  if (rnd() < 0.3) c.doc.transact(() => { edit(c.doc); edit(c.doc) })
  else edit(c.doc)
  if (rnd() < 0.3) syncSome(clients[int(nClients)], -1, false)
  if (rnd() < 0.2) syncSome(observer, -1, false)
}
// converge: everyone gets everything (the observer in a random order too)
// (formatting cleanups triggered by deliveries produce new updates: repeat until quiet)
for (let before = -1; before !== updates.length;) {
  before = updates.length
  clients.forEach((c, i) => syncSome(c, i, true))
}
syncSome(observer, -1, true)

const json = JSON.stringify(observer.doc.toJSON())
const midSv = checkpoints.length > 0 ? Buffer.from(checkpoints[checkpoints.length >> 1].sv, 'base64') : Y.encodeStateVector(new Y.Doc())
// map key order follows delivery order, so replicas are compared with sorted keys
const canon = v => Array.isArray(v) ? v.map(canon) : (v && typeof v === 'object') ? Object.fromEntries(Object.keys(v).sort().map(k => [k, canon(v[k])])) : v
for (const c of clients) {
  // yjs itself diverges when a replica splits a surrogate pair (it writes U+FFFD only there), so
  // the sanity check blurs both; the Java comparison with the observer stays exact
  const blur = v => JSON.stringify(canon(v)).replace(/[\uD800-\uDFFF\uFFFD]/g, '')
  const a = JSON.parse(blur(c.doc.toJSON()))
  const b = JSON.parse(blur(observer.doc.toJSON()))
  for (const k of Object.keys(b)) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) throw new Error(`yjs clients did not converge on ${k}:\n${JSON.stringify(a[k])}\n${JSON.stringify(b[k])}`)
  }
}
process.stdout.write(JSON.stringify({
  seed,
  gc,
  updates: updates.map(u => b64(u.bytes)),
  log,
  checkpoints,
  final: { sv: b64(Y.encodeStateVector(observer.doc)), state: b64(Y.encodeStateAsUpdate(observer.doc)), json },
  // the same session through the v2 format and the functions that work on bytes
  updatesV2: updates.map(u => b64(Y.convertUpdateFormatV1ToV2(u.bytes))),
  stateV2: b64(Y.encodeStateAsUpdateV2(observer.doc)),
  merged: b64(Y.mergeUpdates(log.map(i => updates[i].bytes))),
  mergedV2: b64(Y.mergeUpdatesV2(log.map(i => Y.convertUpdateFormatV1ToV2(updates[i].bytes)))),
  midSv: b64(midSv),
  diff: b64(Y.diffUpdate(Y.mergeUpdates(log.map(i => updates[i].bytes)), midSv)),
  stateFromMidSv: b64(Y.encodeStateAsUpdate(observer.doc, midSv)),
  svFromUpdate: b64(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(log.map(i => updates[i].bytes)))),
  svFromFirstUpdate: updates.length > 0 ? b64(Y.encodeStateVectorFromUpdate(updates[log[0]].bytes)) : ''
}))

// y-protocols interop: answers a sync step 1 written by chorus-yjs, sends its own step 1, applies an
// awareness update written by chorus-yjs and writes one of its own.
// stdin: {"step1": base64, "awareness": base64}
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { readFileSync } from 'node:fs'

const input = JSON.parse(readFileSync(0, 'utf8'))
const b64 = u => Buffer.from(u).toString('base64')
const doc = new Y.Doc()
doc.clientID = 4242
doc.getText('t').insert(0, 'hello from yjs')
doc.getMap('m').set('n', 1)

const reply = encoding.createEncoder()
const type = syncProtocol.readSyncMessage(decoding.createDecoder(Buffer.from(input.step1, 'base64')), reply, doc, 'java')
const ownStep1 = encoding.createEncoder()
syncProtocol.writeSyncStep1(ownStep1, doc)

const awareness = new awarenessProtocol.Awareness(doc)
awareness.setLocalState({ user: 'node', cursor: 3 })
awarenessProtocol.applyAwarenessUpdate(awareness, Buffer.from(input.awareness, 'base64'), 'java')
const states = {}
awareness.getStates().forEach((s, c) => { states[c] = s })
const clocks = {}
awareness.meta.forEach((m, c) => { clocks[c] = m.clock })
process.stdout.write(JSON.stringify({
  type,
  step2: b64(encoding.toUint8Array(reply)),
  step1: b64(encoding.toUint8Array(ownStep1)),
  states: JSON.stringify(states),
  clocks,
  awareness: b64(awarenessProtocol.encodeAwarenessUpdate(awareness, [4242])),
  json: JSON.stringify(doc.toJSON())
}))
awareness.destroy()

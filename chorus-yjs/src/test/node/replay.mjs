// Applies updates (produced by chorus-yjs) to a real yjs document in a given order and prints the
// document's state after each one and at the end.
// stdin: {"gc": bool, "updates": [base64...], "log": [index...]}
import * as Y from 'yjs'
import { readFileSync } from 'node:fs'

const input = JSON.parse(readFileSync(0, 'utf8'))
const b64 = u => Buffer.from(u).toString('base64')
const doc = new Y.Doc({ gc: input.gc })
doc.clientID = 999999
doc.getMap('m'); doc.getArray('a'); doc.getText('t'); doc.getXmlFragment('x')
const checkpoints = []
for (const idx of input.log) {
  Y.applyUpdate(doc, Buffer.from(input.updates[idx], 'base64'), 'remote')
  checkpoints.push({ sv: b64(Y.encodeStateVector(doc)), state: b64(Y.encodeStateAsUpdate(doc)) })
}
process.stdout.write(JSON.stringify({
  checkpoints,
  final: { sv: b64(Y.encodeStateVector(doc)), state: b64(Y.encodeStateAsUpdate(doc)), json: JSON.stringify(doc.toJSON()) }
}))

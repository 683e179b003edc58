// Loads one v1 update (stdin, raw bytes) into a real yjs document and prints how yjs encodes that
// document again (v1 and v2) and its state vector.
import * as Y from 'yjs'
import { readFileSync } from 'node:fs'

const update = readFileSync(0)
const doc = new Y.Doc()
Y.applyUpdate(doc, update)
const b64 = u => Buffer.from(u).toString('base64')
process.stdout.write(JSON.stringify({
  v1: b64(Y.encodeStateAsUpdate(doc)),
  v2: b64(Y.encodeStateAsUpdateV2(doc)),
  sv: b64(Y.encodeStateVector(doc))
}))

// yjs side of the CRDT benchmark, driven by chorus-bench's YjsBench over stdin/stdout so that yjs
// and chorus-yjs alternate run by run in one run (load on the shared machine hits both alike):
//   node --expose-gc yjs-bench.mjs <bench-data dir>
// Commands, one a line, each answered by one JSON line:
//   trace <kind>/<file>  apply an editing trace once: {"ms"}; the B4 trace's document is kept
//   parse                apply b4-update.bin to a new Doc: {"ms"}
//   encode               encode the kept B4 document, v1 then v2: {"v1", "v2", "sizeV1", "sizeV2"}
//   memory               heap held by a loaded b4-update.bin document: {"bytes"}
//   version              {"node", "yjs"}
import * as Y from "yjs";
import { readFileSync } from "fs";
import { gunzipSync } from "zlib";
import { join } from "path";
import { createInterface } from "readline";

const dir = process.argv[2];
const update = readFileSync(join(dir, "b4-update.bin"));
const B4 = "sequential/automerge-paper.json.gz";

function readTrace(name) {
  return JSON.parse(gunzipSync(readFileSync(join(dir, "editing-traces", name))).toString());
}

// sequential trace: every patch [pos, deleted, inserted] in its own transaction
function applySequential(trace) {
  const doc = new Y.Doc();
  const text = doc.getText("text");
  for (const txn of trace.txns) {
    for (const [pos, del, ins] of txn.patches) {
      doc.transact(() => {
        if (del > 0) text.delete(pos, del);
        if (ins !== "") text.insert(pos, ins);
      });
    }
  }
  if (text.toString() !== trace.endContent) throw new Error("wrong final text");
  return doc;
}

// For every txn of a concurrent trace, the txns it causally follows (its parents and all their
// ancestors) as a bit set. Trace bookkeeping, computed before the timed replay.
function ancestors(trace) {
  const n = trace.txns.length;
  const words = (n + 31) >>> 5;
  const upTo = []; // txn i and everything before it
  const before = []; // everything txn i follows
  for (let i = 0; i < n; i++) {
    const b = new Uint32Array(words);
    for (const p of trace.txns[i].parents) {
      const u = upTo[p];
      for (let w = 0; w < words; w++) b[w] |= u[w];
    }
    const u = b.slice();
    u[i >>> 5] |= 1 << (i & 31);
    before.push(b);
    upTo.push(u);
  }
  return before;
}

// Concurrent trace: one Doc per agent; before an agent's txn, its Doc receives the updates of
// the txns the txn follows that it has not seen (in trace order), then the txn's patches run in
// one transaction whose update is kept for the other agents. At the end every agent receives
// everything and must show the final text. Agent a writes as client a + 1: the trace has concurrent
// inserts at the same place (both agents typing there), which CRDTs order by client id.
function applyConcurrent(trace, before) {
  const n = trace.txns.length;
  const words = (n + 31) >>> 5;
  const docs = [];
  const seen = [];
  const updates = new Array(n).fill(null);
  let recording = -1;
  for (let a = 0; a < trace.numAgents; a++) {
    const doc = new Y.Doc();
    doc.clientID = a + 1; // see applyConcurrent in YjsBench.java: ties resolve as endContent expects
    doc.on("update", (u) => {
      if (recording >= 0) updates[recording] = u;
    });
    docs.push(doc);
    seen.push(new Uint32Array(words));
  }
  const catchUp = (a, want) => {
    const doc = docs[a];
    const s = seen[a];
    for (let w = 0; w < words; w++) {
      let missing = want[w] & ~s[w];
      while (missing !== 0) {
        const bit = 31 - Math.clz32(missing & -missing);
        const j = (w << 5) + bit;
        if (updates[j] !== null) Y.applyUpdate(doc, updates[j]);
        missing &= missing - 1;
      }
      s[w] |= want[w];
    }
  };
  for (let i = 0; i < n; i++) {
    const txn = trace.txns[i];
    const a = txn.agent;
    catchUp(a, before[i]);
    const doc = docs[a];
    const text = doc.getText("text");
    recording = i;
    doc.transact(() => {
      for (const [pos, del, ins] of txn.patches) {
        if (del > 0) text.delete(pos, del);
        if (ins !== "") text.insert(pos, ins);
      }
    });
    recording = -1;
    seen[a][i >>> 5] |= 1 << (i & 31);
  }
  const all = new Uint32Array(words);
  for (let i = 0; i < n; i++) all[i >>> 5] |= 1 << (i & 31);
  for (let a = 0; a < trace.numAgents; a++) {
    catchUp(a, all);
    if (docs[a].getText("text").toString() !== trace.endContent) throw new Error("wrong final text, agent " + a);
  }
  return docs[0];
}

function time(f) {
  const t = process.hrtime.bigint();
  const r = f();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
}

const traces = new Map(); // name -> {trace, before}: parsed once, outside the timed runs
let b4 = null;

function handle(line) {
  const [cmd, arg] = line.trim().split(" ");
  switch (cmd) {
    case "trace": {
      let t = traces.get(arg);
      if (!t) {
        const trace = readTrace(arg);
        t = { trace, before: arg.startsWith("concurrent/") ? ancestors(trace) : null };
        traces.set(arg, t);
      }
      const [ms, doc] = time(() => (t.before ? applyConcurrent(t.trace, t.before) : applySequential(t.trace)));
      if (arg === B4) b4 = doc;
      return { ms };
    }
    case "parse":
      return { ms: time(() => { const d = new Y.Doc(); Y.applyUpdate(d, update); return d; })[0] };
    case "encode": {
      const [v1, a] = time(() => Y.encodeStateAsUpdate(b4));
      const [v2, b] = time(() => Y.encodeStateAsUpdateV2(b4));
      return { v1, v2, sizeV1: a.length, sizeV2: b.length };
    }
    case "memory": {
      b4 = null;
      traces.clear();
      global.gc();
      const before = process.memoryUsage().heapUsed;
      const loaded = new Y.Doc();
      Y.applyUpdate(loaded, update);
      global.gc();
      const bytes = process.memoryUsage().heapUsed - before;
      loaded.destroy();
      return { bytes };
    }
    case "version":
      return { node: process.version, yjs: JSON.parse(readFileSync(new URL("./node_modules/yjs/package.json", import.meta.url))).version };
    default:
      throw new Error("unknown command " + line);
  }
}

const rl = createInterface({ input: process.stdin });
rl.on("line", (line) => {
  if (line.trim() === "") return;
  process.stdout.write(JSON.stringify(handle(line)) + "\n");
});

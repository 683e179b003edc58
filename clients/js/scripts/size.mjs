// The size of the core client as an app ships it: dist/index.js bundled and minified with esbuild,
// gzip level 9. @msgpack/msgpack is left out (loaded only with format: 'msgpack'); its size and the
// bindings' are printed separately. Run `npm run build && npm run size`.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

async function size(entry, external = []) {
  const r = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', write: false, external, platform: 'browser' });
  const code = r.outputFiles[0].contents;
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const peers = ['@msgpack/msgpack', 'zustand', 'zustand/*', '@reduxjs/toolkit', '@tanstack/query-core'];
const rows = [
  ['@chorus/client (core)', await size('dist/index.js', peers)],
  ['@msgpack/msgpack (lazy, format: msgpack only)', await size('node_modules/@msgpack/msgpack/dist.esm/index.mjs')],
  ['@chorus/client/zustand (without core and zustand)', await size('dist/zustand.js', [...peers, './client.js', './publish.js'])],
  ['@chorus/client/redux (without core and RTK)', await size('dist/redux.js', [...peers, './client.js', './publish.js'])],
  ['@chorus/client/tanstack-query (without core)', await size('dist/tanstack-query.js', [...peers, './client.js'])],
  ['@chorus/client/yjs (without core, yjs, y-protocols, lib0)', await size('dist/yjs.js', [...peers, './client.js', './emitter.js', 'yjs', 'y-protocols/*', 'lib0/*'])],
  ['@chorus/client/yjs with the y-protocols and lib0 it uses (without core and yjs)', await size('dist/yjs.js', [...peers, './client.js', './emitter.js', 'yjs'])],
];
for (const [name, s] of rows) console.log(`${name}: ${kb(s.min)} min, ${kb(s.gz)} min+gzip (${s.gz} bytes)`);

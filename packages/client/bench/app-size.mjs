// The browser app of issue 13 (create a client, sign with OAuth, page through products), bundled as an app bundler
// does (esbuild, minify, splitting), and its chunks sorted by when the app loads them, following the import graph:
// `success` = the entry, everything it imports statically, and the OAuth chunk (with its static imports), which an
// OAuth app loads on its first request; `error` = what is loaded only on the first failure (the `fail` chunk and its
// imports not already loaded); `unused` = the rest, which this app never loads: openapi-fetch's runtime and its adapter
// (`raw` or middleware), `Authenticator.sign` (middleware), the `Link` parser (a store that sends no X-WP-TotalPages).
// Used by bench/run.mjs and test/bundle.test.ts, so the README figure and the test measure the same thing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** The app; `globalThis.WOO_URL` points it at a store (the bench's size build never runs it). */
export const APP_SOURCE = `import { createWooClient, pages } from '@wooapi/client';
const woo = createWooClient({ url: globalThis.WOO_URL ?? 'http://shop.example', consumerKey: 'ck_x', consumerSecret: 'cs_x' });
try { for await (const p of pages(woo, '/products')) console.log(p.items.length); } catch (e) { globalThis.WOO_ERROR = e; }`;

/** Build the app; with `outdir`, also write it there (to run it). */
export async function appSize(outdir) {
  const out = await build({
    stdin: { contents: APP_SOURCE, resolveDir: here },
    platform: 'browser',
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
    tsconfigRaw: {},
    outdir: outdir ?? resolve(here, '.size'),
    metafile: true,
  });
  const files = new Map();
  for (const f of out.outputFiles) {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    const meta = Object.entries(out.metafile.outputs).find(([k]) => k.endsWith(`/${name}`))[1];
    files.set(name, {
      file: name,
      min: f.contents.length,
      gzip: gzipSync(f.contents, { level: 9 }).length,
      inputs: Object.keys(meta.inputs),
      imports: meta.imports.map((i) => ({ file: i.path.slice(i.path.lastIndexOf('/') + 1), kind: i.kind })),
      contents: f.contents,
    });
    if (outdir) {
      mkdirSync(outdir, { recursive: true });
      writeFileSync(join(outdir, name), f.contents);
    }
  }
  const has = (f, module) => f.inputs.some((i) => i === `dist/${module}` || i.endsWith(`/dist/${module}`));
  const closure = (start, into) => {
    const walk = (name) => {
      if (into.has(name)) return;
      into.add(name);
      for (const i of files.get(name).imports) if (i.kind === 'import-statement') walk(i.file);
    };
    walk(start);
    return into;
  };
  const entry = [...files.values()].find((f) => f.inputs.includes('<stdin>'));
  const success = closure(entry.file, new Set());
  for (const f of files.values()) if (has(f, 'oauth.js')) closure(f.file, success);
  const error = new Set();
  for (const f of files.values())
    if (has(f, 'fail.js')) closure(f.file, new Set(success)).forEach((n) => error.add(n));
  for (const n of success) error.delete(n);
  const pick = (set) => [...set].map((n) => files.get(n));
  const sum = (list) => list.reduce((s, f) => s + f.gzip, 0);
  const successFiles = pick(success);
  const errorFiles = pick(error);
  return {
    entry,
    success: successFiles,
    error: errorFiles,
    unused: [...files.values()].filter((f) => !success.has(f.file) && !error.has(f.file)),
    successGzip: sum(successFiles),
    errorGzip: sum(errorFiles),
  };
}

// The widget's size budget, on the gzip files the server sends (gzip -9, as make_dist writes
// them): the loader alone at most 5 KB, and everything a visitor downloads to chat (loader,
// launcher and panel stylesheets, glue, module) at most 60 KB. Environment: VITRINA_WIDGET_DIR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const DIR = process.env.VITRINA_WIDGET_DIR;
if (!DIR) throw new Error('VITRINA_WIDGET_DIR is not set (run through ctest)');
const KB = 1024;

async function gzSize(pattern) {
  const names = (await readdir(DIR)).filter((n) => pattern.test(n));
  assert.equal(names.length, 1, `exactly one file matches ${pattern} in ${DIR}: ${names}`);
  return (await stat(path.join(DIR, names[0]))).size;
}

test('the loader is at most 5 KB gzipped', async () => {
  const loader = await gzSize(/^vitrina\.js\.gz$/);
  console.log(`loader: ${loader} bytes gzipped`);
  assert.ok(loader <= 5 * KB, `the loader is ${loader} bytes gzipped, over 5 KB`);
});

test('loader, stylesheets, glue and module together are at most 60 KB gzipped', async () => {
  const parts = {
    loader: await gzSize(/^vitrina\.js\.gz$/),
    launcherCss: await gzSize(/^launcher\.[0-9a-f]{10}\.css\.gz$/),
    css: await gzSize(/^widget\.[0-9a-f]{10}\.css\.gz$/),
    glue: await gzSize(/^widget\.[0-9a-f]{10}\.js\.gz$/),
    wasm: await gzSize(/^widget\.[0-9a-f]{10}\.wasm\.gz$/),
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  console.log(`gzipped bytes: ${JSON.stringify(parts)}, total ${total}`);
  assert.ok(total <= 60 * KB, `the widget is ${total} bytes gzipped, over 60 KB`);
});

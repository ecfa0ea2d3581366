// node minify.mjs IN OUT: the shipped form of a widget script (the loader, the module's glue):
// terser's compression and local-name mangling, no comments. Globals and property names are
// left alone, so what the page, the loader and the glue call one another stays as written.
// Terser is found through NODE_PATH (Debian: node-terser under /usr/share/nodejs).
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const [input, output] = process.argv.slice(2);
const { minify } = createRequire(import.meta.url)('terser');
const result = await minify(await readFile(input, 'utf8'), {
  ecma: 2017,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
});
await writeFile(output, result.code);

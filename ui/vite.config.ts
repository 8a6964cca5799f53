import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// pdf.js needs its standard fonts, CMaps and wasm decoders next to the app: they are copied
// from pdfjs-dist into dist/pdfjs/ (and served from there in dev). Nothing is loaded from a CDN.
const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
const PDFJS_DIRS = ['standard_fonts', 'cmaps', 'wasm', 'iccs'];

function pdfjsAssets(): Plugin {
  return {
    name: 'papertrail-pdfjs-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /^\/pdfjs\/([a-z_]+)\/([^/?]+)/.exec(req.url ?? '');
        if (!m || !PDFJS_DIRS.includes(m[1])) return next();
        const file = join(pdfjsRoot, m[1], m[2]);
        if (!existsSync(file)) return next();
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const dir of PDFJS_DIRS) {
        const abs = join(pdfjsRoot, dir);
        if (!existsSync(abs)) continue;
        for (const name of readdirSync(abs)) {
          if (name.startsWith('LICENSE') || name.endsWith('.js')) continue;
          this.emitFile({ type: 'asset', fileName: `pdfjs/${dir}/${name}`, source: readFileSync(join(abs, name)) });
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [svelte(), pdfjsAssets()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2500,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});

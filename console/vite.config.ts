import { defineConfig } from 'vite';

// Preact through Oxc's automatic JSX runtime: no framework plugin needed. The output is
// embedded into the parley binary (console/embed.mjs); hashed files go under assets/.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});

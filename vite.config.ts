import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react-swc';
import { defineConfig, type Plugin } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { ViteImageOptimizer } from 'vite-plugin-image-optimizer';
import { VitePWA } from 'vite-plugin-pwa';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The engine worker embeds its WASM decoders; the service worker must precache it for offline
// analysis, and Workbox silently skips anything over this size.
const MAX_PRECACHE_BYTES = 24 * 1024 * 1024;

/**
 * The shared contract defines zod schemas at module top level. The app's main thread only needs
 * its constants (types, keys, version), but calls such as `pitchClassSchema.nullable()` look
 * side-effectful to the bundler, which would pull all of zod (~55 KB brotli) into the main
 * bundle. Schema definitions are pure, so they are annotated as such and contract modules are
 * marked side-effect-free; anything that really uses a schema still gets zod. The constants the
 * main thread uses live in zod-free modules (analysis-constants, key-names, api/ai-constants), so
 * a schema used only by a lazy chunk (AI client, push diagnosis) keeps zod in that chunk.
 */
const pureContract = (): Plugin => ({
  name: 'samplemind:pure-contract',
  enforce: 'pre',
  transform(code, id) {
    if (!/[\\/]contract[\\/]src[\\/].*\.ts$/.test(id)) return null;
    return code
      .replace(/^((?:export )?const \w+(?::[^=\n]+)? = )(?=[\w.\s]+\()/gm, '$1/* @__PURE__ */ ')
      .replace(/([([{,:]\s*)(\w+Schema\s*\.\s*\w+\s*\()/g, '$1/* @__PURE__ */ $2');
  },
});

const AUDIO_ACCEPT = {
  'audio/wav': ['.wav', '.wave'],
  'audio/x-wav': ['.wav'],
  'audio/aiff': ['.aif', '.aiff', '.aifc'],
  'audio/flac': ['.flac'],
  'audio/mpeg': ['.mp3'],
  'audio/ogg': ['.ogg', '.oga'],
};

export default defineConfig({
  root: here('./web-app'),
  publicDir: here('./public'),
  // Relative base: the same build is served at / by `vite preview` and under a prefix by server-lite.
  base: './',
  worker: {
    format: 'es',
    plugins: () => [pureContract()],
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  build: {
    outDir: here('./web-app/dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
    // SAMPLEMIND_NO_MINIFY=1 keeps names readable for profiling.
    minify: process.env.SAMPLEMIND_NO_MINIFY ? false : 'terser',
    rolldownOptions: {
      // The timing report is noise on a shared 2-core machine.
      checks: { bundlerTimings: false },
      treeshake: {
        manualPureFunctions: ['z'],
        moduleSideEffects: [{ test: /[\\/]contract[\\/]src[\\/]/, sideEffects: false }],
      },
      input: {
        main: here('./web-app/index.html'),
        // Dev/bench tool: seeds a synthetic library into IndexedDB (kept out of the SW precache).
        seed: here('./web-app/seed.html'),
      },
    },
  },
  server: { port: 5173, strictPort: false },
  preview: { port: 4173, strictPort: false },
  plugins: [
    pureContract(),
    react(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: null,
      includeManifestIcons: false,
      manifestFilename: 'manifest.webmanifest',
      manifest: {
        id: './',
        name: 'SampleMind',
        short_name: 'SampleMind',
        description:
          'Your sample library, analysed locally: BPM, key, type, loudness; search and audition offline.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#111318',
        theme_color: '#111318',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        // Audio files opened from the OS land in the installed app (launchQueue, see file-launch.ts).
        file_handlers: [{ action: './', accept: AUDIO_ACCEPT }],
        launch_handler: { client_mode: 'focus-existing' },
      } as Record<string, unknown>,
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest}'],
        globIgnores: ['**/seed*.html', '**/seed-*.js', '**/*.gz', '**/*.br'],
        maximumFileSizeToCacheInBytes: MAX_PRECACHE_BYTES,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/seed\.html/, /^\/api\//],
        cleanupOutdatedCaches: true,
      },
    }),
    ViteImageOptimizer({
      // The PWA icons are generated at their final size; leave them byte-stable.
      exclude: /icons\//,
      includePublic: true,
    }),
    compression({
      algorithms: ['gzip', 'brotliCompress'],
      exclude: [/\.(png|jpe?g|webp|avif|gz|br)$/],
      threshold: 1024,
    }),
  ],
});

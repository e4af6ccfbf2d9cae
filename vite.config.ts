// Builds the web UI (web/) into web/dist, which the hub serves (hub/static.ts).
// `npm run dev`: Vite's dev server with /api and /sync proxied to a hub (ZT_HUB_URL,
// default the hub `npm start` runs on 127.0.0.1:7400).
import { defineConfig } from 'vite'

const hub = process.env.ZT_HUB_URL ?? 'http://127.0.0.1:7400'

export default defineConfig({
  root: 'web',
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: true, assetsInlineLimit: 0 },
  server: {
    port: Number(process.env.PORT ?? 5173),
    proxy: {
      '/api': { target: hub, changeOrigin: false },
      '/sync': { target: hub.replace(/^http/, 'ws'), ws: true },
    },
  },
})

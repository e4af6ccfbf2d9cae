// The web UI's built files (web/dist, from `npm run build:web`) served by the hub itself: no
// second server in production. Hashed assets are cached for a year; index.html is never
// cached and is also the answer to a browser navigating to any other non-API path, so deep
// links (/t/acme/findings?severity=high) load the app, while a script asking for an unknown
// path still gets the API's JSON 404. Every response carries the CSP the app is built for.
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { MiddlewareHandler } from 'hono'

export const WEB_DIST = resolve(import.meta.dirname, '../web/dist')
export const CSP = "default-src 'self'; connect-src 'self' ws: wss:; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
const IMMUTABLE = 'public, max-age=31536000, immutable'
/** Paths the hub answers itself; never the app's. */
const NOT_OURS = /^\/(api|sync)(\/|$)|^\/(healthz|readyz|metrics)$/
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.ico': 'image/x-icon', '.png': 'image/png',
  '.woff2': 'font/woff2', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8',
}
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map', '.txt'])

interface Asset { body: Uint8Array, gzip?: Uint8Array, type: string, mtimeMs: number }

export interface StaticInit {
  /** Default web/dist beside hub/. */
  root?: string
}

/** A middleware serving the built UI; anything it does not serve falls through (to the JSON 404). */
export function serveWeb(init: StaticInit = {}): MiddlewareHandler {
  const root = init.root ?? WEB_DIST
  const cache = new Map<string, Asset>()

  /** The file under root for a URL path, or undefined (traversal, a directory, missing). */
  async function load(urlPath: string): Promise<Asset | undefined> {
    let rel: string
    try { rel = decodeURIComponent(urlPath) } catch { return undefined }
    if (rel.includes('\0')) return undefined
    const file = normalize(join(root, rel))
    if (!file.startsWith(root + sep)) return undefined
    const s = await stat(file).catch(() => undefined)
    if (!s?.isFile()) return undefined
    const held = cache.get(file)
    if (held && held.mtimeMs === s.mtimeMs) return held
    const body = new Uint8Array(await readFile(file))
    const ext = extname(file)
    const asset: Asset = { body, type: TYPES[ext] ?? 'application/octet-stream', mtimeMs: s.mtimeMs, gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? new Uint8Array(gzipSync(body, { level: 9 })) : undefined }
    cache.set(file, asset)
    return asset
  }

  return async function webStatic(c, next) {
    const method = c.req.method
    const path = c.req.path
    if ((method !== 'GET' && method !== 'HEAD') || NOT_OURS.test(path)) return next()
    let asset = path === '/' || path.endsWith('/') ? undefined : await load(path)
    let cacheControl = path.startsWith('/assets/') ? IMMUTABLE : 'no-cache'
    if (!asset) {
      // A navigation (the browser asks for a page) gets the app, which routes on the client.
      const navigation = path === '/' || (c.req.header('accept') ?? '').includes('text/html')
      if (!navigation || path.startsWith('/assets/')) return next()
      asset = await load('/index.html')
      cacheControl = 'no-cache'
      if (!asset) return c.text('The web UI is not built: run `npm run build:web`.\n', 404, { 'content-security-policy': CSP })
    }
    const gzip = asset.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')
    const body = gzip ? asset.gzip! : asset.body
    const headers: Record<string, string> = {
      'content-type': asset.type, 'cache-control': cacheControl, 'content-security-policy': CSP,
      'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', vary: 'accept-encoding', 'content-length': String(body.length),
    }
    if (gzip) headers['content-encoding'] = 'gzip'
    if (method === 'HEAD') return c.body(null, 200, headers)
    return c.body(body as Uint8Array<ArrayBuffer>, 200, headers)
  }
}

// The API's one error shape: {error: {code, message}}, thrown from anywhere in a handler
// and rendered by the app's onError.
import { HTTPException } from 'hono/http-exception'

export type ApiStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503

export function apiError(status: ApiStatus, code: string, message: string, extra: Record<string, unknown> = {}): never {
  throw new HTTPException(status, { res: Response.json({ error: { code, message, ...extra } }, { status }) })
}

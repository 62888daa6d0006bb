// JSON over fetch to the server's API, shared by the runtime and the designer: the session rides
// in an httpOnly cookie, messages come in the UI's language through Accept-Language, and an error
// answer becomes an ApiError carrying the server's code, message and field.
export interface ErrorDetail {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details: ErrorDetail[] = [],
    /** Seconds the server asked to wait before trying again (a busy 503, a 429). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** The error an answer carries, with the server's code, message, field and Retry-After. */
async function errorOf(res: Response): Promise<ApiError> {
  let data: unknown;
  try {
    data = JSON.parse(await res.text());
  } catch {
    data = undefined;
  }
  const e = (data as { error?: { code?: string; message?: string; field?: string; details?: ErrorDetail[] } } | undefined)?.error;
  const retry = Number(res.headers.get('Retry-After'));
  return new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `HTTP ${res.status}`, e?.field, e?.details ?? [], Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

export interface RequestOptions {
  /** A 401 is expected (logging in, asking whether there is a session): do not report it as an expired session. */
  quiet401?: boolean;
  /** A body sent as it is (a file), with its content type. */
  raw?: Blob | ArrayBuffer;
  contentType?: string;
}

/** A request function for one UI: its language, and what to do when a session expires. */
export function apiClient(locale: () => 'zh' | 'en', onUnauthorized: () => (() => void) | undefined = () => undefined) {
  return async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`/api${path}`, {
        method,
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          'Accept-Language': locale() === 'en' ? 'en' : 'zh-CN',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : options.contentType ? { 'Content-Type': options.contentType } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : options.raw,
      });
    } catch {
      throw new ApiError(0, 'network', locale() === 'en' ? 'Cannot reach the server; check the network and try again' : '无法连接服务器，请检查网络后重试');
    }
    if (res.status === 204) return undefined as T;
    if (!res.ok) {
      if (res.status === 401 && !options.quiet401) onUnauthorized()?.();
      throw await errorOf(res);
    }
    const type = res.headers.get('Content-Type') ?? '';
    if (type && !type.includes('json')) return (type.includes('html') || type.startsWith('text/') ? await res.text() : await res.blob()) as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** A file the API sends as an attachment, with the name the server gave it. */
export async function fetchFile(locale: () => 'zh' | 'en', path: string): Promise<{ blob: Blob; name?: string }> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { credentials: 'same-origin', headers: { 'Accept-Language': locale() === 'en' ? 'en' : 'zh-CN' } });
  } catch {
    throw new ApiError(0, 'network', locale() === 'en' ? 'Cannot reach the server; check the network and try again' : '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) throw await errorOf(res);
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1];
  return { blob: await res.blob(), ...(name ? { name } : {}) };
}

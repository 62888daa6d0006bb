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
  ) {
    super(message);
  }
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
    const type = res.headers.get('Content-Type') ?? '';
    if (res.ok && type && !type.includes('json')) return (type.includes('html') || type.startsWith('text/') ? await res.text() : await res.blob()) as T;
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!res.ok) {
      const e = (data as { error?: { code?: string; message?: string; field?: string; details?: ErrorDetail[] } } | undefined)?.error;
      if (res.status === 401 && !options.quiet401) onUnauthorized()?.();
      throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `HTTP ${res.status}`, e?.field, e?.details ?? []);
    }
    return data as T;
  };
}

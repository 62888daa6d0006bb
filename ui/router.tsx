// A tiny hash router: the route is location.hash ("#/diagnosis/ID"), pages are chosen by pattern.
import { useEffect, useState, type AnchorHTMLAttributes, type ReactNode } from 'react';

export function currentPath(): string {
  const h = window.location.hash.replace(/^#/, '');
  return h.startsWith('/') ? h : `/${h}`;
}

export function navigate(path: string, options: { replace?: boolean } = {}) {
  const target = `#${path}`;
  if (options.replace) window.location.replace(target);
  else window.location.hash = path;
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const on = () => setPath(currentPath());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return path;
}

/** Matches "/diagnosis/:id/result" against a path; the named segments, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('?')[0].split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

export interface Route {
  pattern: string;
  render: (params: Record<string, string>) => ReactNode;
}

export function Router({ routes, fallback }: { routes: Route[]; fallback: ReactNode }) {
  const path = usePath();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [path]);
  for (const r of routes) {
    const params = match(r.pattern, path);
    if (params) return <>{r.render(params)}</>;
  }
  return <>{fallback}</>;
}

/** A link to a route: a real <a href="#/…">, so it works with the keyboard and opens in a new tab. */
export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  return (
    <a href={`#${to}`} {...rest}>
      {children}
    </a>
  );
}

/** Goes to `to` in place of the current entry (a spent link, a page that moved). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

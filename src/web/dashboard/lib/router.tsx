import type { ComponentChildren, TargetedMouseEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const NAVIGATE_EVENT = 'tf:navigate';

/** Where the app lives; every in-app path is relative to it. */
export const BASE_PATH = '/agent';

/** Moves to an in-app path without reloading (history API). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const url = `${BASE_PATH}${path === '/' ? '' : path}`;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function currentPath(): string {
  const p = location.pathname.startsWith(BASE_PATH) ? location.pathname.slice(BASE_PATH.length) : location.pathname;
  return p === '' ? '/' : p.replace(/\/+$/, '') || '/';
}

/** The in-app path (`/`, `/tickets/<id>`, …) and the query string, updated on navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const [state, setState] = useState(() => ({ path: currentPath(), search: new URLSearchParams(location.search) }));
  useEffect(() => {
    const update = () => setState({ path: currentPath(), search: new URLSearchParams(location.search) });
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATE_EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATE_EVENT, update);
    };
  }, []);
  return state;
}

/** Matches `/tickets/:id`-style patterns; returns the params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/').filter(Boolean);
  const b = path.split('/').filter(Boolean);
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    const part = a[i]!;
    const value = b[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}

type LinkProps = {
  to: string;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page' | undefined;
  'aria-label'?: string;
};

/** An ordinary link (middle-click and "open in new tab" still work) that navigates in-app on a plain click. */
export function Link({ to, children, ...rest }: LinkProps) {
  const onClick = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={`${BASE_PATH}${to === '/' ? '' : to}`} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}

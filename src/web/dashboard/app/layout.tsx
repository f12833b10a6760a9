import type { ComponentChildren } from 'preact';
import { useTranslation } from '../../staff/i18n.ts';
import type { Agent } from '../../../contracts/agents.ts';
import { LanguageSwitcher } from '../../lib/language-switcher.tsx';
import { useLogout } from '../features/auth/api/logout.ts';
import { useConnectionState } from '../../staff/realtime-context.tsx';
import { Link, useLocation } from '../lib/router.tsx';

type NavItem = { to: string; label: string; adminOnly?: boolean; match: (path: string) => boolean };

/**
 * The shell around every signed-in page. `actions` (header, before the language switcher) and `sidebar`
 * (below the navigation) are what the app adds: the availability switch, the alerts, the team list.
 */
export function Layout({
  agent,
  children,
  actions,
  sidebar,
}: {
  agent: Agent;
  children: ComponentChildren;
  actions?: ComponentChildren;
  sidebar?: ComponentChildren;
}) {
  const { t } = useTranslation();
  const { path } = useLocation();
  const logout = useLogout();
  const connection = useConnectionState();
  const items: NavItem[] = [
    { to: '/', label: t('nav.queue'), match: (p) => p === '/' || p.startsWith('/tickets') },
    { to: '/analytics', label: t('nav.analytics'), match: (p) => p.startsWith('/analytics') },
    { to: '/admin/agents', label: t('nav.agents'), adminOnly: true, match: (p) => p.startsWith('/admin/agents') },
    { to: '/admin/faq', label: t('nav.faq'), adminOnly: true, match: (p) => p.startsWith('/admin/faq') },
    { to: '/admin/canned-replies', label: t('nav.cannedReplies'), adminOnly: true, match: (p) => p.startsWith('/admin/canned-replies') },
    { to: '/admin/unanswered', label: t('learning.nav'), adminOnly: true, match: (p) => p.startsWith('/admin/unanswered') },
    { to: '/admin/locations', label: t('locations.nav'), adminOnly: true, match: (p) => p.startsWith('/admin/locations') },
    { to: '/admin/privacy', label: t('privacy.nav'), adminOnly: true, match: (p) => p.startsWith('/admin/privacy') },
  ];
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <aside class="sidebar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            TF
          </span>
          <span class="brand-name">
            Tasty Food <small>{t('nav.support')}</small>
          </span>
        </div>
        <nav aria-label={t('nav.main')}>
          <ul class="nav">
            {items
              .filter((i) => !i.adminOnly || agent.role === 'admin')
              .map((i) => (
                <li key={i.to}>
                  <Link to={i.to} class="nav-link" aria-current={i.match(path) ? 'page' : undefined}>
                    {i.label}
                  </Link>
                </li>
              ))}
            {agent.role === 'admin' && (
              <li>
                <a class="nav-link" href="/debug">
                  {t('nav.debug')}
                </a>
              </li>
            )}
          </ul>
        </nav>
        {sidebar}
        <p class={`connection connection-${connection}`} role="status">
          <span class="connection-dot" aria-hidden="true" />
          {t(`connection.${connection}`)}
        </p>
      </aside>
      <div class="main-col">
        <header class="topbar">
          <div class="topbar-user">
            <span class="avatar" aria-hidden="true">
              {agent.name.slice(0, 1).toUpperCase()}
            </span>
            <span>
              <strong>{agent.name}</strong> <span class="muted small">{t(`roles.${agent.role}`)}</span>
            </span>
          </div>
          <div class="topbar-actions">
            {actions}
            <LanguageSwitcher />
            <button type="button" class="btn btn-ghost" onClick={() => logout.mutate()} disabled={logout.isPending}>
              {t('auth.logout')}
            </button>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

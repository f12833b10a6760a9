import { useState } from 'preact/hooks';
import { useTranslation } from '../../../../staff/i18n.ts';
import { Link } from '../../../lib/router.tsx';
import { alertTitle, useAlerts } from './alerts-provider.tsx';

/**
 * The header's alerts button: the unread count, and a panel with the alerts (links to their tickets)
 * and the settings. Desktop notifications are asked for from the panel's own button, never on load.
 */
export function AlertsButton() {
  const { t } = useTranslation();
  const { items, settings, setSettings, permission, requestPermission, markAllRead } = useAlerts();
  const [open, setOpen] = useState(false);
  const count = items.length;
  return (
    <div class="alerts">
      <button
        type="button"
        class="btn btn-ghost alerts-toggle"
        aria-expanded={open}
        aria-controls="alerts-panel"
        onClick={() => setOpen((o) => !o)}
      >
        {t('alerts.button')}
        {count > 0 && (
          <span class="alerts-count" aria-label={t('alerts.unread', { count })}>
            {count}
          </span>
        )}
      </button>
      {open && (
        <section id="alerts-panel" class="alerts-panel card" aria-label={t('alerts.panel')}>
          {items.length === 0 ? (
            <p class="muted small">{t('alerts.none')}</p>
          ) : (
            <>
              <ul class="alerts-list">
                {items.map((a) => (
                  <li key={a.key}>
                    <Link to={`/tickets/${a.ticket_id}`}>
                      {alertTitle(a, t)}
                    </Link>
                    <span class="muted small alerts-excerpt">{a.excerpt}</span>
                  </li>
                ))}
              </ul>
              <button type="button" class="btn btn-ghost" onClick={markAllRead}>
                {t('alerts.markAllRead')}
              </button>
            </>
          )}
          <fieldset class="alerts-settings">
            <legend>{t('alerts.settings')}</legend>
            {permission === 'default' && (
              <button type="button" class="btn" onClick={() => void requestPermission()}>
                {t('alerts.enableDesktop')}
              </button>
            )}
            {permission === 'granted' && (
              <label>
                <input type="checkbox" checked={settings.desktop} onChange={(e) => setSettings({ ...settings, desktop: e.currentTarget.checked })} />{' '}
                {t('alerts.desktop')}
              </label>
            )}
            {permission === 'denied' && <p class="muted small">{t('alerts.desktopBlocked')}</p>}
            {permission === 'unsupported' && <p class="muted small">{t('alerts.desktopUnsupported')}</p>}
            <label>
              <input type="checkbox" checked={settings.sound} onChange={(e) => setSettings({ ...settings, sound: e.currentTarget.checked })} />{' '}
              {t('alerts.sound')}
            </label>
          </fieldset>
        </section>
      )}
    </div>
  );
}

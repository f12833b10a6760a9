import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ALERT_KINDS, FRAME, TEAM_CHANNEL } from '../../../../../contracts/realtime-constants.ts';
import type { Alert } from '../../../../../contracts/realtime.ts';
import type { Translate } from '../../../../lib/i18n.ts';
import { teamQueryKey } from '../../../../staff/api/get-team.ts';
import { useTranslation } from '../../../../staff/i18n.ts';
import { useRealtime } from '../../../../staff/realtime-context.tsx';
import { navigate } from '../../../lib/router.tsx';
import { loadAlertSettings, saveAlertSettings, titleWithCount, type AlertSettings } from '../alert-settings.ts';
import { availabilityQueryKey } from '../api/availability.ts';
import { getUnreadMentions, markMentionsRead } from '../api/mentions.ts';
import { playBeep } from '../beep.ts';
import { useIdle } from '../hooks/use-idle.ts';

export type AlertItem = Alert & { key: string };
export type NotificationState = NotificationPermission | 'unsupported';

type AlertsContextValue = {
  /** Unread alerts, newest first. */
  items: AlertItem[];
  settings: AlertSettings;
  setSettings: (next: AlertSettings) => void;
  permission: NotificationState;
  /** Asks the browser for desktop notifications: only ever from the agent's click. */
  requestPermission: () => Promise<void>;
  markAllRead: () => void;
};

const AlertsContext = createContext<AlertsContextValue | null>(null);

export function useAlerts(): AlertsContextValue {
  const value = useContext(AlertsContext);
  if (!value) throw new Error('useAlerts needs an AlertsProvider');
  return value;
}

function keyOf(alert: Alert): string {
  return alert.mention_id ?? `${alert.kind}:${alert.ticket_id}:${alert.created_at}`;
}

function currentPermission(): NotificationState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** The notification's title in the agent's language. */
export function alertTitle(alert: Alert, t: Translate): string {
  if (alert.kind === ALERT_KINDS.mention) return t('alerts.mention', { name: alert.by?.name ?? '' });
  if (alert.kind === ALERT_KINDS.customerMessage) return t('alerts.customerMessage', { email: alert.email ?? '' });
  return t('alerts.ticketCreated', { email: alert.email ?? '' });
}

/**
 * The agent's alerts (docs/dashboard.md "Alerts"): the `team` channel's alert frames (a new ticket
 * unassigned or theirs, a customer's answer on their ticket, an @mention) and the mentions stored while
 * they were away. Each unread alert counts in the tab's title; a new one also shows a desktop
 * notification and plays a chime when the agent turned them on (remembered per agent in this browser).
 * Opening a ticket reads its alerts. Availability frames refresh the team list, and the tab reports the
 * agent idle after a few minutes without activity.
 */
export function AlertsProvider({
  agentId,
  title,
  ticketId,
  children,
}: {
  agentId: string;
  /** The page's title, shown after the count. */
  title: string;
  /** The ticket open on screen: its alerts are read at once. */
  ticketId: string | null;
  children: ComponentChildren;
}) {
  const { t } = useTranslation();
  const realtime = useRealtime();
  const queryClient = useQueryClient();
  const [items, setItems] = useState<AlertItem[]>([]);
  const [settings, setSettingsState] = useState(() => loadAlertSettings(agentId));
  const [permission, setPermission] = useState<NotificationState>(currentPermission);
  const live = useRef({ settings, ticketId, t });
  live.current = { settings, ticketId, t };
  useIdle(realtime);

  const readMentions = useCallback((read: AlertItem[]) => {
    const ids = read.flatMap((a) => (a.mention_id ? [a.mention_id] : []));
    if (ids.length > 0) void markMentionsRead(ids).catch(() => undefined);
  }, []);

  const loadMentions = useCallback(async () => {
    try {
      const { mentions } = await getUnreadMentions();
      const stored: AlertItem[] = mentions.map((m) => ({
        kind: ALERT_KINDS.mention,
        ticket_id: m.ticket_id,
        email: null,
        excerpt: m.excerpt,
        by: m.by,
        mention_id: m.id,
        created_at: m.created_at,
        key: m.id,
      }));
      setItems((prev) => {
        const known = new Set(prev.map((a) => a.key));
        const merged = [...prev, ...stored.filter((a) => !known.has(a.key))];
        return merged.sort((a, b) => b.created_at.localeCompare(a.created_at));
      });
    } catch {
      // The count misses the stored mentions until the next reconnect; live alerts still arrive.
    }
  }, []);

  useEffect(() => {
    const notify = (alert: AlertItem) => {
      const { settings: s, t: tr } = live.current;
      if (s.sound) playBeep();
      if (!s.desktop || currentPermission() !== 'granted') return;
      try {
        const n = new Notification(alertTitle(alert, tr), { body: alert.excerpt, tag: alert.key });
        n.onclick = () => {
          globalThis.focus?.();
          navigate(`/tickets/${alert.ticket_id}`);
          n.close();
        };
      } catch {
        // Some browsers only notify from a service worker: the title's count still shows it.
      }
    };
    return realtime.subscribe(TEAM_CHANNEL, {
      onFrame: (frame) => {
        if (frame.type === FRAME.subscribed) {
          void queryClient.invalidateQueries({ queryKey: teamQueryKey });
          void loadMentions();
        } else if (frame.type === FRAME.availability) {
          void queryClient.invalidateQueries({ queryKey: teamQueryKey });
          if (frame.agent_id === agentId) void queryClient.invalidateQueries({ queryKey: availabilityQueryKey });
        } else if (frame.type === FRAME.alert) {
          const alert: AlertItem = { ...frame.alert, key: keyOf(frame.alert) };
          // Already before the agent's eyes: nothing to count or ring.
          if (alert.ticket_id === live.current.ticketId && document.visibilityState === 'visible') {
            readMentions([alert]);
            return;
          }
          setItems((prev) => (prev.some((a) => a.key === alert.key) ? prev : [alert, ...prev]));
          notify(alert);
        }
      },
    });
  }, [realtime, queryClient, agentId, loadMentions, readMentions]);

  // Opening a ticket reads its alerts.
  useEffect(() => {
    if (!ticketId) return;
    const read = items.filter((a) => a.ticket_id === ticketId);
    if (read.length === 0) return;
    readMentions(read);
    setItems((prev) => prev.filter((a) => a.ticket_id !== ticketId));
  }, [ticketId, items, readMentions]);

  useEffect(() => {
    document.title = titleWithCount(title, items.length);
  }, [title, items.length]);

  const value = useMemo<AlertsContextValue>(
    () => ({
      items,
      settings,
      permission,
      setSettings: (next) => {
        setSettingsState(next);
        saveAlertSettings(agentId, next);
      },
      requestPermission: async () => {
        if (typeof Notification === 'undefined') return;
        setPermission(await Notification.requestPermission());
      },
      markAllRead: () => {
        readMentions(items);
        setItems([]);
      },
    }),
    [items, settings, permission, agentId, readMentions],
  );
  return <AlertsContext.Provider value={value}>{children}</AlertsContext.Provider>;
}

/** What an agent wants on an alert, remembered per agent in this browser. */
export type AlertSettings = { desktop: boolean; sound: boolean };

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { desktop: true, sound: false };

const key = (agentId: string) => `tf-alerts:${agentId}`;

export function loadAlertSettings(agentId: string): AlertSettings {
  try {
    const raw = JSON.parse(globalThis.localStorage?.getItem(key(agentId)) ?? 'null') as Partial<AlertSettings> | null;
    return {
      desktop: typeof raw?.desktop === 'boolean' ? raw.desktop : DEFAULT_ALERT_SETTINGS.desktop,
      sound: typeof raw?.sound === 'boolean' ? raw.sound : DEFAULT_ALERT_SETTINGS.sound,
    };
  } catch {
    return DEFAULT_ALERT_SETTINGS;
  }
}

export function saveAlertSettings(agentId: string, settings: AlertSettings): void {
  try {
    globalThis.localStorage?.setItem(key(agentId), JSON.stringify(settings));
  } catch {
    // Private mode or a full storage: the choice lasts for this page only.
  }
}

/** `(3) Queue · Tasty Food Support`: the unread alerts before the page's title. */
export function titleWithCount(title: string, count: number): string {
  return count > 0 ? `(${count}) ${title}` : title;
}

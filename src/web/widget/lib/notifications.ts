/**
 * Browser notifications for an agent's reply while the tab is hidden (docs/widget.md). Permission is asked
 * only after the customer has sent something, never on arrival: a request out of context is
 * usually refused, and then cannot be asked again.
 */
function supported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

export function askNotificationPermission(): void {
  if (!supported() || Notification.permission !== 'default') return;
  void Promise.resolve(Notification.requestPermission()).catch(() => undefined);
}

/** Shows one notification when the page is hidden and permission was granted; clicking it focuses the page. */
export function notifyWhenHidden(title: string, body: string, tag: string): boolean {
  if (!supported() || Notification.permission !== 'granted' || document.visibilityState !== 'hidden') return false;
  try {
    const n = new Notification(title, { body: body.length > 140 ? `${body.slice(0, 137)}…` : body, tag });
    n.onclick = () => {
      window.focus();
      n.close();
    };
    return true;
  } catch {
    return false; // e.g. Android Chrome allows notifications only from a service worker
  }
}

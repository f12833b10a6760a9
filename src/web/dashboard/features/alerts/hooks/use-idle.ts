import { useEffect } from 'preact/hooks';
import type { RealtimeClient } from '../../../../lib/realtime-client.ts';

/** No key, click or pointer move for this long: the agent shows as away (docs/agents.md "Availability"). */
export const AWAY_AFTER_MS = 5 * 60_000;
const CHECK_EVERY_MS = 15_000;
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'focus'] as const;

/** Tells the server when the person at this tab goes idle and comes back (the `activity` frame). */
export function useIdle(realtime: RealtimeClient, awayAfterMs = AWAY_AFTER_MS): void {
  useEffect(() => {
    let last = Date.now();
    const onActivity = () => {
      last = Date.now();
      realtime.activity(false);
    };
    for (const type of ACTIVITY_EVENTS) globalThis.addEventListener(type, onActivity, { passive: true });
    const timer = setInterval(() => {
      if (Date.now() - last >= awayAfterMs) realtime.activity(true);
    }, Math.min(CHECK_EVERY_MS, awayAfterMs));
    return () => {
      for (const type of ACTIVITY_EVENTS) globalThis.removeEventListener(type, onActivity);
      clearInterval(timer);
    };
  }, [realtime, awayAfterMs]);
}

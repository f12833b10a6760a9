import type { Translate } from '../../lib/i18n.ts';

/**
 * The client metrics the pages record (src/web/lib/perf-monitor.ts's Web Vitals, the widget's
 * measures): each has a name a manager understands in dashboard.json's `clientMetrics.names`.
 */
export const KNOWN_METRICS = [
  'web_vitals_lcp',
  'web_vitals_fcp',
  'web_vitals_cls',
  'web_vitals_inp',
  'web_vitals_ttfb',
  'widget_startup',
  'chat_ask',
  'ticket_submit',
  'message_send',
  'welcome_render',
  'help_render',
  'faq_render',
  'track_render',
  'support_render',
  'ticket_render',
] as const;
export type KnownMetric = (typeof KNOWN_METRICS)[number];

export function isKnownMetric(name: string): name is KnownMetric {
  return (KNOWN_METRICS as readonly string[]).includes(name);
}

/** A metric's human name; a name no page records today is shown as it was sent. */
export function metricLabel(name: string, t: Translate): string {
  return isKnownMetric(name) ? t(`clientMetrics.names.${name}`) : name;
}

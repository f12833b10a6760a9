import type { ComponentChildren } from 'preact';
import { useTranslation } from '../../../staff/i18n.ts';

export type ChartDatum = { label: string; value: number; display?: string; tone?: string };

/**
 * A chart's accessible frame: the SVG is one image with a text summary, and the same figures are
 * available as a table for screen readers and for anyone who prefers numbers.
 */
export function ChartFrame({
  title,
  summary,
  data,
  valueHeader,
  children,
}: {
  title: string;
  summary: string;
  data: ChartDatum[];
  valueHeader: string;
  children: ComponentChildren;
}) {
  const { t } = useTranslation();
  return (
    <figure class="chart">
      <figcaption class="chart-title">{title}</figcaption>
      <div role="img" aria-label={`${title}. ${summary}`} class="chart-canvas">
        {children}
      </div>
      <details class="chart-data">
        <summary>{t('charts.showData')}</summary>
        <table class="table table-compact">
          <caption class="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('charts.label')}</th>
              <th scope="col">{valueHeader}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.label}>
                <th scope="row">{d.label}</th>
                <td>{d.display ?? d.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

import { countAxis, labelledBars } from './axis.ts';
import { ChartFrame, type ChartDatum } from './chart-frame.tsx';

const DEFAULT_WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 36 };

/** Vertical bars of counts (tickets per day, CSAT scores); labels are thinned out when there are many bars. */
/** `width` is the drawing's width in SVG units: give a wide chart more, so its text keeps its size. */
export function BarChart({ width: WIDTH = DEFAULT_WIDTH, ...props }: { title: string; summary: string; data: ChartDatum[]; valueHeader: string; width?: number }) {
  const { data } = props;
  const { top: max, ticks } = countAxis(Math.max(0, ...data.map((d) => d.value)));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, data.length);
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const labelled = labelledBars(data.length);
  return (
    <ChartFrame {...props}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} class="chart-svg" aria-hidden="true" focusable="false">
        {ticks.map((tick) => {
          const y = PAD.top + innerH - (tick / max) * innerH;
          return (
            <g key={tick}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} class="chart-grid" />
              <text x={PAD.left - 6} y={y + 4} class="chart-axis" text-anchor="end">
                {tick}
              </text>
            </g>
          );
        })}
        {data.map((d, i) => {
          const h = (d.value / max) * innerH;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g key={d.label}>
              <rect x={x} y={PAD.top + innerH - h} width={barW} height={h} rx={2} class={`chart-bar ${d.tone ?? ''}`}>
                <title>{`${d.label}: ${d.display ?? d.value}`}</title>
              </rect>
              {labelled.has(i) && (
                <text x={x + barW / 2} y={HEIGHT - 8} class="chart-axis" text-anchor="middle">
                  {d.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </ChartFrame>
  );
}

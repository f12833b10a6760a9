import { ChartFrame, type ChartDatum } from './chart-frame.tsx';

const WIDTH = 480;
const ROW = 30;
const LABEL_W = 150;
const VALUE_W = 70;

/** One bar per category (status, intent, response times), each labelled with its value. */
export function HorizontalBars(props: { title: string; summary: string; data: ChartDatum[]; valueHeader: string }) {
  const { data } = props;
  const max = Math.max(0, ...data.map((d) => d.value)) || 1;
  const barSpace = WIDTH - LABEL_W - VALUE_W;
  const height = Math.max(ROW, data.length * ROW);
  return (
    <ChartFrame {...props}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} class="chart-svg" aria-hidden="true" focusable="false">
        {data.map((d, i) => {
          const y = i * ROW;
          const w = Math.max(d.value > 0 ? 2 : 0, (d.value / max) * barSpace);
          return (
            <g key={d.label}>
              <text x={LABEL_W - 8} y={y + ROW / 2 + 4} class="chart-label" text-anchor="end">
                {d.label}
              </text>
              <rect x={LABEL_W} y={y + 6} width={barSpace} height={ROW - 12} rx={3} class="chart-track" />
              <rect x={LABEL_W} y={y + 6} width={w} height={ROW - 12} rx={3} class={`chart-bar ${d.tone ?? ''}`}>
                <title>{`${d.label}: ${d.display ?? d.value}`}</title>
              </rect>
              <text x={LABEL_W + barSpace + 8} y={y + ROW / 2 + 4} class="chart-value">
                {d.display ?? d.value}
              </text>
            </g>
          );
        })}
      </svg>
    </ChartFrame>
  );
}

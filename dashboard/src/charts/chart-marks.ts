// What charts draw over their series: a horizontal threshold line and vertical time markers
// (an alert going pending, firing, resolving; a deploy). One uPlot draw hook for TimeChart and
// the alert page's MarkedChart. Canvas text is never parsed as markup, so labels are safe as
// given; long ones are cut short here and shown whole in the lists beside the charts.
import type uPlot from 'uplot';

export interface Marker {
  timeMs: number;
  label: string;
  /** A CSS variable holding the colour. */
  colorVar: string;
  /** Dashed: a deploy, as opposed to the alert's own state changes. */
  dashed?: boolean;
}

export interface Threshold {
  value: number;
  label: string;
}

const LABEL_ROWS = 3;
const MAX_LABEL_CHARS = 28;

export const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** A label fit for a chart: one line, at most MAX_LABEL_CHARS characters. */
export function shortLabel(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_LABEL_CHARS ? `${line.slice(0, MAX_LABEL_CHARS - 1)}…` : line;
}

export interface LabelBox {
  x: number;
  width: number;
}

/**
 * The row (0 = top) for each label so that labels starting at `x` do not overlap: each takes the
 * first row whose previous label ended before it, or the row that frees up soonest.
 */
export function labelRows(boxes: readonly LabelBox[], rows = LABEL_ROWS, gap = 6): number[] {
  const order = boxes.map((_box, i) => i).sort((a, b) => (boxes[a]?.x ?? 0) - (boxes[b]?.x ?? 0));
  const ends = Array.from({ length: rows }, () => -Infinity);
  const out = boxes.map(() => 0);
  for (const i of order) {
    const box = boxes[i];
    if (!box) continue;
    let row = ends.findIndex((end) => end + gap <= box.x);
    if (row === -1) row = ends.indexOf(Math.min(...ends));
    ends[row] = box.x + box.width;
    out[i] = row;
  }
  return out;
}

/** Draws the threshold and the markers inside the plot area; call it from a uPlot `draw` hook. */
export function drawMarks(u: uPlot, threshold: Threshold | null, markers: readonly Marker[]): void {
  const { ctx, bbox } = u;
  const ratio = devicePixelRatio;
  ctx.save();
  ctx.font = `${11 * ratio}px system-ui, sans-serif`;
  // uPlot leaves the alignment of its last axis label behind.
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  if (threshold) {
    const color = cssVar('--bad');
    const y = u.valToPos(threshold.value, 'y', true);
    ctx.strokeStyle = color;
    ctx.setLineDash([6 * ratio, 4 * ratio]);
    ctx.lineWidth = 1.5 * ratio;
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.fillStyle = color;
    ctx.fillText(threshold.label, bbox.left + 4 * ratio, y - 4 * ratio);
  }
  const right = bbox.left + bbox.width;
  const shown = markers
    .map((m) => ({ m, x: u.valToPos(m.timeMs / 1000, 'x', true), text: shortLabel(m.label) }))
    .filter(({ x }) => x >= bbox.left && x <= right);
  const pad = 4 * ratio;
  const boxes = shown.map(({ x, text }) => {
    const width = ctx.measureText(text).width;
    // Near the right edge the label goes on the line's left.
    const start = x + pad + width > right ? x - pad - width : x + pad;
    return { x: start, width };
  });
  const rows = labelRows(boxes, LABEL_ROWS, pad);
  shown.forEach(({ m, x, text }, i) => {
    const color = cssVar(m.colorVar);
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5 * ratio;
    ctx.setLineDash(m.dashed ? [4 * ratio, 3 * ratio] : []);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    ctx.fillStyle = color;
    ctx.fillText(text, boxes[i]?.x ?? x, bbox.top + (12 + 13 * (rows[i] ?? 0)) * ratio);
  });
  ctx.restore();
}

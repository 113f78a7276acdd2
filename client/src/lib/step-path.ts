// Turns "borrowed seats changed to n at t" points into a step line inside a time window.
import type { UsagePoint } from './types';

export interface Scale {
  x: (t: number) => number;
  y: (v: number) => number;
}

/** Value held at the window start (last point before it), then every change inside it. */
export function visibleSteps(points: UsagePoint[], from: number, to: number): { t: number; v: number }[] {
  const steps: { t: number; v: number }[] = [];
  let before: { t: number; v: number } | null = null;
  for (const point of points) {
    const t = Date.parse(point.at);
    if (t < from) before = { t: from, v: point.borrowed };
    // A point stamped a moment after our clock's last tick still belongs at the right edge.
    else steps.push({ t: Math.min(t, to), v: point.borrowed });
  }
  steps.sort((a, b) => a.t - b.t);
  return before ? [before, ...steps] : steps;
}

export function stepPath(steps: { t: number; v: number }[], to: number, scale: Scale): string {
  if (steps.length === 0) return '';
  let d = `M${scale.x(steps[0]!.t).toFixed(1)},${scale.y(steps[0]!.v).toFixed(1)}`;
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i]!;
    d += `H${scale.x(step.t).toFixed(1)}V${scale.y(step.v).toFixed(1)}`;
  }
  return `${d}H${scale.x(to).toFixed(1)}`;
}

/** Round time ticks (every 5, 10, 30 min, hours or days) that fit about `count` labels. */
export function timeTicks(from: number, to: number, count: number): number[] {
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;
  const spans = [
    ...[minute, 2 * minute, 5 * minute, 10 * minute, 15 * minute, 30 * minute],
    ...[hour, 2 * hour, 4 * hour, 6 * hour, 12 * hour, day, 2 * day, 7 * day],
  ];
  const span = spans.find((s) => (to - from) / s <= count) ?? spans[spans.length - 1]!;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / span) * span; t <= to; t += span) ticks.push(t);
  return ticks;
}

// @ts-check
// A stacked bar chart on a canvas, sized to its box (so it fits a phone as well as a wide screen), with an
// optional line drawn over the bars. No library: it is one small function (axes, bars, labels).
import { COLORS } from './dom.js';

/**
 * @typedef {object} BarChart
 * @property {string[]} labels one per bar, already formatted (e.g. "06:12")
 * @property {{ key: string, values: number[] }[]} stacks bottom first
 * @property {{ key: string, values: number[] }} [line]
 */

/**
 * @param {HTMLCanvasElement} canvas
 * @param {BarChart} chart
 */
export function drawBars(canvas, chart) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 300;
  const height = canvas.clientHeight || 180;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);

  const n = chart.labels.length;
  const totals = chart.labels.map((_, i) => chart.stacks.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals, ...(chart.line?.values ?? []));
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const left = 36, right = 6, topPad = 8, bottom = 20;
  const plotW = width - left - right, plotH = height - topPad - bottom;

  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#66788a';
  g.strokeStyle = '#e5e9ef';
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (let v = 0; v <= top; v += step) {
    const y = topPad + plotH - (v / top) * plotH;
    g.beginPath();
    g.moveTo(left, Math.round(y) + 0.5);
    g.lineTo(width - right, Math.round(y) + 0.5);
    g.stroke();
    g.fillText(String(v), left - 5, y);
  }
  const slot = plotW / Math.max(1, n);
  const barW = Math.max(1, Math.min(48, slot * 0.75));
  g.textAlign = 'center';
  g.textBaseline = 'top';
  const labelEvery = Math.ceil(n / Math.max(1, Math.floor(plotW / 44)));
  for (let i = 0; i < n; i++) {
    const x = left + slot * i + (slot - barW) / 2;
    let y = topPad + plotH;
    for (const stack of chart.stacks) {
      const value = stack.values[i] ?? 0;
      if (!value) continue;
      const barH = (value / top) * plotH;
      g.fillStyle = COLORS[stack.key] ?? '#6b7280';
      g.fillRect(x, y - barH, barW, barH);
      y -= barH;
    }
    if (i % labelEvery === 0) {
      g.fillStyle = '#66788a';
      g.fillText(chart.labels[i], left + slot * i + slot / 2, topPad + plotH + 5);
    }
  }
  if (chart.line) {
    g.strokeStyle = COLORS[chart.line.key] ?? '#111827';
    g.lineWidth = 1.5;
    g.beginPath();
    chart.line.values.forEach((value, i) => {
      const x = left + slot * i + slot / 2;
      const y = topPad + plotH - (value / top) * plotH;
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.stroke();
    g.lineWidth = 1;
  }
}

/** @param {number} max */
function niceStep(max) {
  const raw = max / 4;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / p;
  return Math.max(1, (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p);
}

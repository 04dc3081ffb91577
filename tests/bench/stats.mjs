// Summary figures of a benchmark's samples: count, median, p95 and max,
// rounded to `decimals` places (null when there are none).
export function stats(samples, decimals = 1) {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const scale = 10 ** decimals;
  const round = (v) => Math.round(v * scale) / scale;
  return { samples: sorted.length, median: round(at(50)), p95: round(at(95)), max: round(sorted[sorted.length - 1]) };
}

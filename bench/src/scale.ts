/**
 * `--scale small|jambi|N`: households of the generated month. jambi is the project's Jambi scale
 * (about 1.96 M rows with the XLSX); small runs the whole benchmark in a few minutes (CI).
 */
export const SCALES = { small: 16_000, jambi: 320_000 } as const;

export function householdsOf(scale: string): number {
  if (scale in SCALES) return SCALES[scale as keyof typeof SCALES];
  if (/^\d+$/.test(scale) && Number(scale) >= 100) return Number(scale);
  throw new Error(`--scale ${scale}: use small, jambi or a number of households (at least 100)`);
}

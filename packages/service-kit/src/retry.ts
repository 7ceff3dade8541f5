/**
 * Runs `fn` until it succeeds, at most `attempts` times, waiting `firstMs` doubling up to `maxMs`
 * between attempts; rethrows the last error. `onRetry` sees each failure that will be retried.
 * For short blips (an S3 or broker hiccup); longer outages are the caller's next tick.
 */
export async function retryWithBackoff<T>(
  fn: () => Promise<T>,
  opts: { attempts?: number; firstMs?: number; maxMs?: number; onRetry?: (e: unknown, attempt: number, waitMs: number) => void } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 5;
  let wait = opts.firstMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= attempts) throw e;
      opts.onRetry?.(e, attempt, wait);
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, opts.maxMs ?? 5_000);
    }
  }
}

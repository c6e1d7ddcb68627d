/** How fast a bucket refills: `burst` at once, `perSecond` after that. */
export interface Rate {
  readonly burst: number;
  readonly perSecond: number;
}

/** A token bucket: `burst` at once, refilled at `perSecond`. Buckets alike share their rate (a room holds one per person). */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly rate: Rate;

  constructor(rate: Rate, now: number) {
    this.rate = rate;
    this.tokens = rate.burst;
    this.last = now;
  }

  /** Takes `cost` tokens (one by default) if there are that many. */
  take(now: number, cost = 1): boolean {
    this.refill(now);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** True when the bucket has refilled completely, so forgetting it changes nothing. */
  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.rate.burst;
  }

  private refill(now: number): void {
    const { burst, perSecond } = this.rate;
    this.tokens = Math.min(burst, this.tokens + (Math.max(0, now - this.last) / 1000) * perSecond);
    this.last = now;
  }
}

/** One token bucket per key (a client address), forgotten once it has refilled. */
export class KeyedLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly rate: Rate;

  constructor(burst: number, perSecond: number) {
    this.rate = { burst, perSecond };
  }

  take(key: string, now: number): boolean {
    if (this.buckets.size >= 1000) for (const [k, b] of this.buckets) if (b.full(now)) this.buckets.delete(k);
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.rate, now)));
    return bucket.take(now);
  }
}

/**
 * Events per key within a sliding window: "at most `max` in any `windowMs`",
 * exactly, where a token bucket would let a burst and its refill through in
 * the same minute. Keeps at most `max` times per key and `keys` keys (the
 * oldest key is forgotten first).
 */
export class SlidingWindow {
  private readonly times = new Map<string, number[]>();
  private readonly max: number;
  private readonly windowMs: number;
  private readonly keys: number;

  constructor(max: number, windowMs: number, keys = 10_000) {
    this.max = max;
    this.windowMs = windowMs;
    this.keys = keys;
  }

  /** Whether `key` has had `max` events within the window ending now. */
  full(key: string, now: number): boolean {
    return this.recent(key, now).length >= this.max;
  }

  add(key: string, now: number): void {
    const list = this.recent(key, now);
    if (list.length === 0) {
      this.times.delete(key);
      if (this.times.size >= this.keys) this.times.delete(this.times.keys().next().value!);
      this.times.set(key, list);
    }
    list.push(now);
    if (list.length > this.max) list.shift();
  }

  private recent(key: string, now: number): number[] {
    const list = this.times.get(key);
    if (!list) return [];
    while (list.length > 0 && list[0] <= now - this.windowMs) list.shift();
    return list;
  }
}

// Token buckets, one per key (a client address, or "*" for everyone together), in memory. A
// bucket holds up to `capacity` tokens and refills continuously at capacity/window; a request
// takes one. Lazy refill: no timers, O(1) per request. The map is bounded: past maxKeys, full
// (idle) buckets are dropped first, then the oldest.

export interface RateSpec {
  /** burst size: requests allowed at once */
  capacity: number;
  /** the time in which an empty bucket fills up again */
  windowMs: number;
}

export interface TakeResult {
  ok: boolean;
  /** tokens left after this request */
  remaining: number;
  /** seconds until one token is available (0 when ok) */
  retryAfterS: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly spec: RateSpec,
    private readonly maxKeys = 50_000,
  ) {
    this.perMs = spec.capacity / spec.windowMs;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, now = Date.now(), cost = 1): TakeResult {
    const { capacity } = this.spec;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.prune(now);
      b = { tokens: capacity, at: now };
      this.buckets.set(key, b);
    } else if (now > b.at) {
      b.tokens = Math.min(capacity, b.tokens + (now - b.at) * this.perMs);
      b.at = now;
    }
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return { ok: true, remaining: Math.floor(b.tokens), retryAfterS: 0 };
    }
    return { ok: false, remaining: 0, retryAfterS: Math.max(1, Math.ceil((cost - b.tokens) / this.perMs / 1000)) };
  }

  /** Gives a token back (when a later check refused the request after this one took it). */
  refund(key: string, cost = 1): void {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.spec.capacity, b.tokens + cost);
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.spec.capacity) this.buckets.delete(k);
    }
    // still full of busy clients: drop the oldest tenth (insertion order)
    if (this.buckets.size >= this.maxKeys) {
      let n = Math.ceil(this.maxKeys / 10);
      for (const k of this.buckets.keys()) {
        if (n-- <= 0) break;
        this.buckets.delete(k);
      }
    }
  }
}

/** "120/60s", "10/1m", "5/s", "30/500ms"; "off" or "0" -> null (no limit). */
export function parseRateSpec(v: string): RateSpec | null {
  const s = v.trim().toLowerCase();
  if (s === "off" || s === "0" || s === "none" || s === "false") return null;
  const m = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ms|s|sec|m|min|h)?$/.exec(s);
  if (!m || Number(m[1]) <= 0) throw new Error(`not a rate: "${v}" (use e.g. 120/60s, 10/1m, 5/s or off)`);
  const unit = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 }[(m[3] ?? "s") as "s"];
  const windowMs = (m[2] === undefined ? 1 : Number(m[2])) * unit;
  if (!(windowMs > 0)) throw new Error(`not a rate: "${v}"`);
  return { capacity: Number(m[1]), windowMs };
}

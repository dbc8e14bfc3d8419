// Request limits for the web app, applied in proxy.ts before any page or route runs:
//   413 when the query string or a declared request body is larger than allowed,
//   429 (with Retry-After) when a client, or all clients together, exceed the rate of a class.
// Classes: "search" (the search page and API), "heavy" (thread pages, patch pages, review views,
// series mbox, interdiff, version lines, and their API twins), "login" (POST /login: counted by its route,
// per address and per e-mail address, see takeLogin), "write" (any other
// non-GET request), "default" (every other request). Each class has a token bucket per client
// address and one for everyone together (globalFactor times larger), so spoofed addresses cannot
// take more than that. Everything is configurable by environment variable (README, "Security").
import { errorResponse, isApiPath } from "./errors";
import { parseRateSpec, TokenBuckets, type RateSpec } from "./ratelimit";

export type LimitClass = "search" | "heavy" | "login" | "write" | "default";
export const LIMIT_CLASSES: LimitClass[] = ["search", "heavy", "login", "write", "default"];

export interface LimitsConfig {
  rates: Record<LimitClass, RateSpec | null>;
  /** the bucket shared by all clients is this many times a client's */
  globalFactor: number;
  maxQueryBytes: number;
  maxBodyBytes: number;
  /** reverse proxies in front that append to X-Forwarded-For (0: none, the address Next saw) */
  proxyHops: number;
}

export const DEFAULT_RATES: Record<LimitClass, string> = {
  search: "60/60s",
  heavy: "120/60s",
  login: "10/60s",
  write: "60/60s",
  default: "600/60s",
};

export const ENV = {
  off: "PATCHLORE_RATE_LIMIT",
  rate: (c: LimitClass) => `PATCHLORE_RATE_${c.toUpperCase()}`,
  globalFactor: "PATCHLORE_RATE_GLOBAL_FACTOR",
  maxQuery: "PATCHLORE_MAX_QUERY_BYTES",
  maxBody: "PATCHLORE_MAX_BODY_BYTES",
  proxyHops: "PATCHLORE_PROXY_HOPS",
} as const;

function intEnv(env: Record<string, string | undefined>, name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === "") return dflt;
  const m = /^(\d+)\s*([kmg]?)i?b?$/i.exec(v.trim());
  if (!m) throw new Error(`${name}: not a number: ${v}`);
  return Number(m[1]) * { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as ""];
}

export function limitsFromEnv(env: Record<string, string | undefined> = process.env): LimitsConfig {
  const off = /^(off|0|false|no)$/i.test(env[ENV.off] ?? "");
  const rates = {} as Record<LimitClass, RateSpec | null>;
  for (const c of LIMIT_CLASSES) rates[c] = off ? null : parseRateSpec(env[ENV.rate(c)] ?? DEFAULT_RATES[c]);
  return {
    rates,
    globalFactor: Math.max(1, intEnv(env, ENV.globalFactor, 20)),
    maxQueryBytes: intEnv(env, ENV.maxQuery, 4096),
    maxBodyBytes: intEnv(env, ENV.maxBody, 1024 * 1024),
    proxyHops: intEnv(env, ENV.proxyHops, 0),
  };
}

/** Top-level routes of the app; any other first segment is a list name. */
const STATIC_TOP = new Set(["api", "series", "people", "interdiff", "versions", "search", "login", "logout", "account", "timeout"]);

export function classify(method: string, pathname: string): LimitClass {
  if (method !== "GET" && method !== "HEAD" && method !== "OPTIONS") {
    return pathname === "/login" || pathname === "/login/submit" ? "login" : "write";
  }
  const segs = pathname.split("/").filter(Boolean);
  const rest = segs[0] === "api" ? segs.slice(1) : segs;
  const top = rest[0];
  if (top === "search") return "search";
  if (top === "interdiff" || top === "versions") return "heavy";
  if (top === "series") return rest[2] === "mbox" || rest[2] === "review" ? "heavy" : "default";
  if (top !== undefined && !STATIC_TOP.has(top) && rest.length >= 3) {
    const view = rest[2];
    if (view === "T" || view === "t" || view === "patch" || view === "review" || /^t\.mbox/.test(view)) return "heavy";
  }
  return "default";
}

/** The client's address: with N reverse proxies in front, the Nth entry from the right of
 * X-Forwarded-For (each proxy appends the address it saw). Without a proxy Next puts the socket
 * address there, unless the client sent the header itself; the shared bucket bounds what
 * such a client can get. IPv6 addresses count per /64 (one host usually has a whole /64). */
const PLAIN_IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export function clientKey(headers: Headers, proxyHops: number): string {
  const xff = headers.get("x-forwarded-for") ?? headers.get("x-real-ip") ?? "";
  // the common case, one IPv4 address, without the general parsing below
  if (proxyHops <= 1 && PLAIN_IPV4.test(xff)) return xff;
  const parts = xff.split(",").map((s) => s.trim()).filter(Boolean);
  const ip = parts.length ? parts[Math.max(0, parts.length - Math.max(1, proxyHops))] : "unknown";
  return normalizeIp(ip);
}

export function normalizeIp(ip: string): string {
  const s = ip.replace(/^\[|\]$/g, "").replace(/%.*$/, "").toLowerCase();
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (v4) return v4[1];
  if (!s.includes(":") || !/^[0-9a-f:.]+$/.test(s)) return s.slice(0, 64);
  // expand "::" and keep the first four groups (the /64)
  const [head, tail] = s.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill("0"), ...t];
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":") + "::/64";
}

export class Limiter {
  private readonly client = new Map<LimitClass, TokenBuckets>();
  private readonly global = new Map<LimitClass, TokenBuckets>();

  constructor(readonly config: LimitsConfig) {
    for (const c of LIMIT_CLASSES) {
      const spec = config.rates[c];
      if (!spec) continue;
      this.client.set(c, new TokenBuckets(spec));
      this.global.set(c, new TokenBuckets({ capacity: spec.capacity * config.globalFactor, windowMs: spec.windowMs }, 1));
    }
  }

  /** Takes one token of class c for key (and one from the shared bucket); null when allowed,
   * else the seconds to wait. */
  take(c: LimitClass, key: string, now = Date.now()): number | null {
    const mine = this.client.get(c);
    if (!mine) return null;
    const r = mine.take(key, now);
    if (!r.ok) return r.retryAfterS;
    const all = this.global.get(c)!.take("*", now);
    if (!all.ok) {
      mine.refund(key);
      return all.retryAfterS;
    }
    return null;
  }

  /** 413 or 429 for this request, or null to let it through. */
  check(request: { method: string; url: string; headers: Headers; nextUrl?: URL }, now = Date.now()): Response | null {
    // a NextRequest has its URL parsed already
    const url = request.nextUrl ?? new URL(request.url);
    const api = isApiPath(url.pathname);
    // URL.search is percent-encoded ASCII: its length is its size in bytes
    const queryBytes = Math.max(0, url.search.length - 1);
    if (queryBytes > this.config.maxQueryBytes) {
      return errorResponse(413, {
        api,
        detail: `The query string has ${queryBytes} bytes; this server takes at most ${this.config.maxQueryBytes} (${ENV.maxQuery}).`,
        extra: { limit: this.config.maxQueryBytes },
      });
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      const declared = Number(request.headers.get("content-length") ?? "0");
      if (declared > this.config.maxBodyBytes) {
        return errorResponse(413, {
          api,
          detail: `The request body has ${declared} bytes; this server takes at most ${this.config.maxBodyBytes} (${ENV.maxBody}).`,
          extra: { limit: this.config.maxBodyBytes },
          headers: { Connection: "close" },
        });
      }
    }
    const c = classify(request.method, url.pathname);
    // sign-in attempts are counted by the sign-in handler itself (per address and per e-mail),
    // once: proxy.ts hands POST /login on to /login/submit, and both paths pass through here
    if (c === "login") return null;
    const wait = this.take(c, clientKey(request.headers, this.config.proxyHops), now);
    if (wait === null) return null;
    return errorResponse(429, {
      api,
      detail: `Too many ${c === "default" ? "" : c + " "}requests from your address; try again in ${wait} s.`,
      headers: { "Retry-After": String(wait) },
      extra: { retryAfter: wait, class: c },
    });
  }
}

const holder = globalThis as typeof globalThis & { __patchloreLimiter?: Limiter };

/** The process-wide limiter (proxy.ts and route handlers are separate bundles: it lives on globalThis). */
export function limiter(): Limiter {
  return (holder.__patchloreLimiter ??= new Limiter(limitsFromEnv()));
}

/** A sign-in attempt: one token per client address and one per e-mail address (so neither one
 * address nor one account can be guessed at speed); null when allowed, else the seconds to wait. */
export function takeLogin(headers: Headers, email: string, l: Limiter = limiter()): number | null {
  const byAddress = l.take("login", `ip:${clientKey(headers, l.config.proxyHops)}`);
  if (byAddress !== null) return byAddress;
  return l.take("login", `email:${email}`);
}

/** Reads a request body up to maxBytes (declared length or not); null when it is larger. */
export async function readBodyLimited(request: Request, maxBytes = limiter().config.maxBodyBytes): Promise<Buffer | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return null;
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let n = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

// The state every format parser works on (the message's own lines, the lines a table parser
// has consumed, the figures found so far) and the helpers for recording a figure.

import type { OwnLine } from "../types";
import type { Benchmark } from "./types";

export interface Ctx {
  own: OwnLine[];
  /** own-line indexes already consumed by a table parser (prose claims skip them) */
  used: Set<number>;
  out: Benchmark[];
}

/** Marks own lines from..to as read by a table parser, so the prose-claim pass skips them. */
export function mark(ctx: Ctx, from: number, to: number): void {
  for (let i = from; i <= to; i++) ctx.used.add(i);
}

/** The prose just above own line i (up to 6 lines, stopping at a table line already used), for context. */
export function contextAbove(ctx: Ctx, i: number, n = 6): string {
  const parts: string[] = [];
  for (let k = i - 1; k >= 0 && k >= i - n; k--) {
    if (ctx.used.has(k)) break;
    parts.unshift(ctx.own[k].text);
  }
  return parts.join("\n");
}

/** Drops the keys left undefined: a figure lists only what the mail gave. */
export function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

// Display formatting shared by the pages. Pure.

const pad = (n: number) => String(n).padStart(2, "0");

/** "2024-01-02 10:03" in UTC (list pages: one time zone for every row). */
export function shortDate(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** "+0100" for 60, "-0530" for -330. */
export function offsetString(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60))}${pad(m % 60)}`;
}

/** The date in the sender's own time zone when known: "2024-01-02 11:03:00 +0100", else UTC. */
export function senderDate(iso: string | null, tzOffset: number | null): string {
  if (!iso) return "(no date)";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "(no date)";
  const off = tzOffset ?? 0;
  const l = new Date(d.getTime() + off * 60_000);
  const s = `${l.getUTCFullYear()}-${pad(l.getUTCMonth() + 1)}-${pad(l.getUTCDate())} ${pad(l.getUTCHours())}:${pad(l.getUTCMinutes())}:${pad(l.getUTCSeconds())}`;
  return tzOffset === null ? `${s} UTC` : `${s} ${offsetString(off)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

// Text from mail headers (names, subjects) is shown, never obeyed: bidi embedding, override and
// isolate controls (U+202A-U+202E, U+2066-U+2069: the "Trojan Source" characters, which can make
// "evil\u202Egnp.exe" read "evilexe.png") become a visible "‹U+202E›", and C0 control characters
// (NUL, ESC, ...) their Control Pictures (␀, ␛). Elements holding such text also isolate it
// (unicode-bidi: isolate, app/auth.css), so right-to-left names cannot reorder what surrounds them.
// Confusable letters (Cyrillic "а" for Latin "a") are legitimate text and stay; the address is
// always shown beside a name on message pages.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const C0_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export function cleanText(s: string): string {
  return s
    .replace(BIDI_CONTROLS, (c) => `\u2039U+${c.charCodeAt(0).toString(16).toUpperCase()}\u203A`)
    .replace(C0_CONTROLS, (c) => String.fromCharCode(c === "\u007F" ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}

/** A subject for display: cleaned, or "(no subject)". */
export function subjectText(s: string | null | undefined): string {
  return s ? cleanText(s) : "(no subject)";
}

export function addressText(a: { name: string; address: string }): string {
  if (a.name && a.address) return cleanText(`${a.name} <${a.address}>`);
  return cleanText(a.name || a.address || "(unknown)");
}

export function personName(name: string, address: string): string {
  return cleanText(name || address || "(unknown)");
}

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

export function addressText(a: { name: string; address: string }): string {
  if (a.name && a.address) return `${a.name} <${a.address}>`;
  return a.name || a.address || "(unknown)";
}

export function personName(name: string, address: string): string {
  return name || address || "(unknown)";
}

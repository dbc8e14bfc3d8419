import pg from "pg";
const orig = pg.Client.prototype.query;
const acc = new Map<string, [number, number]>();
(pg.Client.prototype as any).query = function (this: any, ...args: any[]) {
  const text = typeof args[0] === "string" ? args[0] : args[0]?.text ?? "";
  const key = text.replace(/\s+/g, " ").slice(0, 60);
  const t = performance.now();
  const r = orig.apply(this, args as any);
  if (r && typeof (r as any).then === "function") (r as any).then(() => { const e = acc.get(key) ?? [0, 0]; e[0] += performance.now() - t; e[1]++; acc.set(key, e); }, () => {});
  return r;
};
process.on("beforeExit", () => { for (const [k, [ms, n]] of [...acc].sort((a, b) => b[1][0] - a[1][0]).slice(0, 15)) console.log(ms.toFixed(0).padStart(7), String(n).padStart(5), k); });

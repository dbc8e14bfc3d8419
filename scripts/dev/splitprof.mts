import { openSource } from "/work/main/ingest/sources";
import { parseMail } from "/work/main/lib/mail/parse";
import { splitPatchMail } from "/work/main/lib/patch/split";
const src = await openSource("/tmp/mmc.git");
const parsed: any[] = [];
for await (const it of src.items({})) { if (parsed.length >= 3000) break; parsed.push(await parseMail(it.raw)); }
const { Session } = await import("node:inspector/promises");
const s = new Session(); s.connect(); await s.post("Profiler.enable"); await s.post("Profiler.start");
for (const p of parsed) splitPatchMail({ subject: p.subject, body: p.text, attachments: p.attachments });
const { profile } = await s.post("Profiler.stop") as any;
const self = new Map<string, number>();
const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const counts = new Map<number, number>(); for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
for (const [id, c] of counts) { const n: any = byId.get(id); const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + c); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${v}\t${k}`).join("\n"));

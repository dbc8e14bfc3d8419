// dev probe: time of each analyzer over the first N messages of a source
import { openSource } from "../../ingest/sources";
import { parseMail } from "../../lib/mail/parse";
import { splitPatchMail } from "../../lib/patch/split";
import { patchId } from "../../lib/patch/patchid";
import { parseSubject } from "../../lib/series/subject";
import { extractBodyFacts } from "../../lib/series/body";
const src = await openSource(process.argv[2]);
const limit = Number(process.argv[3] ?? 5000);
const parsed = [];
for await (const it of src.items({})) { if (parsed.length >= limit) break; parsed.push(await parseMail(it.raw)); }
const time = (name: string, f: (p: any) => unknown) => { const t = performance.now(); for (const p of parsed) f(p); console.log(name.padEnd(10), ((performance.now() - t) / parsed.length * 1000).toFixed(0), "µs/msg"); };
time("subject", (p) => parseSubject(p.subject));
time("facts", (p) => extractBodyFacts(p.text));
time("split", (p) => splitPatchMail({ subject: p.subject, body: p.text, attachments: p.attachments }));
time("patchid", (p) => { const s = splitPatchMail({ subject: p.subject, body: p.text, attachments: p.attachments }); if (s.diff) patchId(s.diff); });

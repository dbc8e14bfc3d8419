// The message page's "Knowledge" box: loads what lib/knowledge found in the message and shows it
// (KnowledgeView.tsx); nothing when the message holds none.
import { getDb } from "../db";
import { getMessageKnowledge } from "@/lib/views/knowledge";
import { KnowledgeView } from "./KnowledgeView";

/** Loads and shows the box; nothing when the message holds no knowledge. */
export async function KnowledgeBox({ list, msgid }: { list: string; msgid: string }) {
  const db = getDb();
  if (!db) return null;
  const k = await getMessageKnowledge(db, list, msgid);
  if (!k || !(k.ideas.length || k.decisions.length || k.benchmarks.length || k.report || k.citedReports.length)) return null;
  return <KnowledgeView k={k} list={list} />;
}

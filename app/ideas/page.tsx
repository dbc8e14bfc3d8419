// /ideas/?kind=&person=&list=&page=: the ideas found across the archive, newest message first, filtered by
// kind, person (every address of their identity) and list (app/_components/KnowledgeList.tsx; the
// same data as /api/ideas).
import type { Metadata } from "next";
import { getDb } from "../db";
import { NoDatabase } from "../_components/chrome";
import { KnowledgeListView, loadKnowledgeList } from "../_components/KnowledgeList";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "ideas" };

export default async function IdeasIndex({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const db = getDb();
  if (!db) return <NoDatabase />;
  return <KnowledgeListView data={await loadKnowledgeList(db, "ideas", await searchParams)} />;
}

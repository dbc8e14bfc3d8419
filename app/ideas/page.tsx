// /ideas/?kind=&person=&list=&page=: the ideas found across the archive, newest message first, filtered by
// kind, person (every address of their identity) and list (app/_components/KnowledgeList.tsx; the
// same data as /api/ideas).
import type { Metadata } from "next";
import { KnowledgeListPage } from "../_components/KnowledgeListPage";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "ideas" };

export default async function IdeasIndex({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <KnowledgeListPage what="ideas" searchParams={await searchParams} />;
}

// /decisions/?kind=&person=&list=&page=: the decisions found across the archive, newest message first, filtered by
// kind, person (every address of their identity) and list (app/_components/KnowledgeList.tsx; the
// same data as /api/decisions).
import type { Metadata } from "next";
import { KnowledgeListPage } from "../_components/KnowledgeListPage";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "decisions" };

export default async function DecisionsIndex({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <KnowledgeListPage what="decisions" searchParams={await searchParams} />;
}

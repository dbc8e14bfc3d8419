// Queries used by a page and its generateMetadata, deduplicated within one request.
import "server-only";
import { cache } from "react";
import { getList, getMessage, getThread, getThreadTree, listThreads } from "@/lib/db/queries";
import { getDb } from "../db";

function db() {
  const d = getDb();
  if (!d) throw new Error("no database");
  return d;
}

export const loadList = cache((list: string) => getList(db(), list));
export const loadThreads = cache((list: string, page: number, pageSize: number) => listThreads(db(), list, page, pageSize));
export const loadMessage = cache((list: string, msgid: string) => getMessage(db(), list, msgid));
export const loadThread = cache((list: string, msgid: string) => getThread(db(), list, msgid));
export const loadThreadTree = cache((threadId: number) => getThreadTree(db(), threadId));

// What the proposals pass is asked (DeriveProposalsOptions) and what it reports (DeriveProposalsResult).

export interface DeriveProposalsOptions {
  /** threads whose messages changed; absent: derive everything */
  threadIds?: number[];
  /** an incremental scope holding more than this share of all units is derived in full instead (default 0.4) */
  fullShare?: number;
  onProgress?: (phase: string) => void;
}

export interface DeriveProposalsResult {
  mode: "full" | "incremental";
  /** units (series postings, threads without series) re-derived */
  units: number;
  proposals: number;
  created: number;
  deleted: number;
  members: number;
  membersByMethod: Record<string, number>;
  membersByRole: Record<string, number>;
  links: number;
  linksByMethod: Record<string, number>;
  seconds: number;
}

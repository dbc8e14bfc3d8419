// Series: subject prefixes, grouping of postings, and version lines. Pure functions; see each file.
export { parseSubject, titleKey, compareRevision } from "./subject";
export type { SubjectInfo, SubjectCounter } from "./subject";
export { extractBodyFacts } from "./body";
export type { BodyFacts } from "./body";
export { groupSeries, classifyMessages } from "./group";
export type {
  SeriesInput,
  SeriesGroup,
  SeriesPatch,
  SeriesDuplicate,
  InheritedPatch,
  SeriesFacts,
  GroupMethod,
  GroupOptions,
  MessageRole,
  ClassifiedMessage,
} from "./group";
export { linkVersions, versionLinks, compareVersions, versionCandidateKeys, titleWordJaccard } from "./versions";
export type { VersionLink, VersionLine, LinkMethod, LinkKind, LinkableSeries, LinkOptions, VersionCandidateKeys } from "./versions";

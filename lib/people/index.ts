// lib/people: identities. Pure: de-obfuscation of archive-mangled addresses, name normalization,
// the merge rules (with their method and confidence) and the grouping of addresses into people.
// The database pass and the person page's queries are in lib/passes/people.ts.

export * from "./identity";

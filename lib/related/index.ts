// lib/related: which stored work touched what a diff touches (files, functions, lines), ranked
// and explained. Pure; lib/views/related.ts fetches the candidates, lib/markdown/related renders.
export * from "./types";
export * from "./functions";
export * from "./query";
export * from "./rank";

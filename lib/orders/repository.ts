// The name the other modules' briefs use for the orders repository: the same exports as ./index.ts.
export * from "./index.ts";

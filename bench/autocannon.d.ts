// autocannon ships no types; the benches only read a few numeric fields of its result.
declare module "autocannon";

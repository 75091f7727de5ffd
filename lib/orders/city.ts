/**
 * Splits a stored city into city and state. Legacy rows hold `"Cidade||UF"` (written by the original) or
 * `"Cidade - UF"`; new rows keep the two apart and pass through unchanged.
 * @example splitCity("Vitória||ES") // { cidade: "Vitória", estado: "ES" }
 */
export function splitCity(cidade: unknown, estado?: unknown): { cidade: string | null; estado: string | null } {
  const c = cidade === null || cidade === undefined ? "" : String(cidade).trim();
  const e = estado === null || estado === undefined ? "" : String(estado).trim();
  let city = c;
  let uf = "";
  const pipes = c.lastIndexOf("||");
  if (pipes >= 0) {
    city = c.slice(0, pipes).trim();
    uf = c.slice(pipes + 2).trim();
  } else {
    const m = /^(.*\S)\s+-\s+([A-Za-z]{2})$/.exec(c);
    if (m) {
      city = m[1];
      uf = m[2];
    }
  }
  const state = (e || uf).toUpperCase();
  return { cidade: city === "" ? null : city, estado: state === "" ? null : state };
}

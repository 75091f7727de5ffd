import * as v from "valibot";

/**
 * valibot's default messages in Portuguese (the 422 `msg` the client may show), installed once for every schema:
 * a schema's own message, where it gives one, still wins.
 * note: `@valibot/i18n` would do this, but its only release on this registry (0.15.0) targets valibot < 1.
 */

const TYPE_NAMES: Record<string, string> = {
  string: "texto",
  number: "número",
  boolean: "verdadeiro ou falso",
  object: "objeto",
  array: "lista",
  null: "nulo",
  undefined: "ausente",
  bigint: "número inteiro",
  date: "data",
};

/** `"string"` → `texto`, `"(string | number)"` → `texto ou número`; literals and lists kept as they are. */
function expected(text: string | null): string {
  if (!text) return "um valor válido";
  const inner = text.startsWith("(") && text.endsWith(")") ? text.slice(1, -1) : text;
  return inner
    .split(" | ")
    .map((part) => TYPE_NAMES[part] ?? part)
    .join(" ou ");
}

const received = (issue: v.BaseIssue<unknown>) => (issue.received === "undefined" ? "nada" : issue.received);

/** The Portuguese message of one issue (FastAPI's sense: what was expected, what came). */
export function portugueseMessage(issue: v.BaseIssue<unknown>): string {
  const req = issue.requirement as unknown;
  switch (issue.type) {
    case "object":
    case "loose_object":
    case "strict_object":
    case "object_with_rest":
      return issue.received === "undefined" && issue.expected?.startsWith('"')
        ? "Campo obrigatório"
        : `Tipo inválido: esperado objeto, recebido ${received(issue)}`;
    case "picklist":
    case "literal":
    case "enum":
      return `Valor inválido: use ${expected(issue.expected)} (recebido ${received(issue)})`;
    case "min_length":
      return `Tamanho inválido: no mínimo ${String(req)} (recebido ${issue.received})`;
    case "max_length":
      return `Tamanho inválido: no máximo ${String(req)} (recebido ${issue.received})`;
    case "length":
      return `Tamanho inválido: exatamente ${String(req)} (recebido ${issue.received})`;
    case "min_value":
      return `Valor inválido: no mínimo ${String(req)} (recebido ${issue.received})`;
    case "max_value":
      return `Valor inválido: no máximo ${String(req)} (recebido ${issue.received})`;
    case "integer":
      return `Valor inválido: use um número inteiro (recebido ${issue.received})`;
    case "email":
      return `E-mail inválido (recebido ${issue.received})`;
    case "regex":
      return `Formato inválido (recebido ${issue.received})`;
    case "check":
    case "custom":
      return "Valor inválido";
    default:
      return issue.kind === "schema"
        ? `Tipo inválido: esperado ${expected(issue.expected)}, recebido ${received(issue)}`
        : `Valor inválido (recebido ${issue.received})`;
  }
}

v.setGlobalMessage(portugueseMessage);

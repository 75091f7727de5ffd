import * as v from "valibot";
import type { IncomingMessage } from "node:http";
import type { AnyFunctionDef, Input } from "../lib/function.ts";
import { AppError, type ValidationIssue } from "../lib/errors.ts";
// valibot's default messages in Portuguese, for every schema a request is checked against.
import "../lib/validation-messages.ts";

/**
 * Reads a request body up to `max` bytes. Beyond it: 413, without reading the rest into memory.
 */
export async function readBodyBytes(req: Request, max: number, incoming?: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  // note: `Connection: close`, because the unread rest of the body would otherwise be read as the next request.
  const tooLarge = () =>
    new AppError(413, `Corpo da requisição maior que o limite de ${Math.round((max / 1024 / 1024) * 100) / 100} MB`, {
      Connection: "close",
    });
  const declared = Number((incoming ? incoming.headers["content-length"] : req.headers.get("content-length")) ?? "NaN");
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  if (incoming) return readIncoming(incoming, max, tooLarge);
  if (!req.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * The body straight from Node's request stream (served by @hono/node-server): no web Request, no web stream, one
 * copy. Stops reading past `max`.
 */
function readIncoming(incoming: IncomingMessage, max: number, tooLarge: () => AppError): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | null) => {
      incoming.off("data", onData).off("end", onEnd).off("error", done).off("close", onClose);
      if (err) reject(err);
      else resolve(new Uint8Array(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)) as Uint8Array<ArrayBuffer>);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > max) {
        incoming.pause();
        return done(tooLarge());
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(null);
    const onClose = () => (incoming.readableEnded ? done(null) : done(new AppError(400, "Requisição interrompida")));
    if (incoming.readableEnded) return resolve(new Uint8Array(0) as Uint8Array<ArrayBuffer>);
    incoming.on("data", onData).on("end", onEnd).on("error", done).on("close", onClose);
  });
}

/** valibot issues in FastAPI's 422 shape: `{loc: ["body", "items", 0, "status"], msg, type}`. */
export function toValidationIssues(where: "body" | "query" | "path", issues: v.BaseIssue<unknown>[]): ValidationIssue[] {
  return issues.map((issue) => ({
    loc: [where, ...(issue.path ?? []).map((p) => p.key as string | number)],
    msg: issue.message,
    // FastAPI's type for an absent required field; otherwise valibot's own.
    type: isMissing(issue) ? "missing" : issue.kind === "schema" ? issue.type : `${issue.kind}_${issue.type}`,
    input: issue.input === undefined ? undefined : summarize(issue.input),
  }));
}

const isMissing = (issue: v.BaseIssue<unknown>) =>
  issue.kind === "schema" && issue.received === "undefined" && !!issue.expected?.startsWith('"');

const summarize = (x: unknown): unknown =>
  typeof x === "string" && x.length > 200 ? `${x.slice(0, 200)}…` : typeof x === "object" && x !== null ? undefined : x;

/** Deeper than any real order (items → comentarios → entry is 4 levels); deeper JSON overflows the stack later. */
const MAX_JSON_DEPTH = 64;
/**
 * More objects and arrays than any real body has (an order of 500 items with their finishes and comments is a few
 * thousand): counted before `JSON.parse`, so a body of a hundred thousand tiny objects is refused before it costs
 * the event loop anything.
 */
const MAX_JSON_CONTAINERS = 20_000;

type JsonShapeProblem = "depth" | "containers" | "nul" | null;

/**
 * One pass over a JSON text (brackets and escapes inside strings understood): nesting deeper than MAX_JSON_DEPTH,
 * more than MAX_JSON_CONTAINERS objects/arrays, or an escaped NUL (`\u0000`: SQLite and the client would cut the
 * text there, so it is refused rather than stored).
 */
function jsonShapeProblem(text: string): JsonShapeProblem {
  let depth = 0;
  let containers = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) {
        // backslash: `\u0000` is a NUL; any other escape skips the escaped character
        if (text.charCodeAt(i + 1) === 117 && text.startsWith("0000", i + 2)) return "nul";
        i++;
      } else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      if (++depth > MAX_JSON_DEPTH) return "depth";
      if (++containers > MAX_JSON_CONTAINERS) return "containers";
    } else if (ch === 93 || ch === 125) depth--;
  }
  return null;
}

const SHAPE_MESSAGES: Record<Exclude<JsonShapeProblem, null>, string> = {
  depth: `JSON inválido: mais de ${MAX_JSON_DEPTH} níveis de aninhamento`,
  containers: `JSON grande demais: mais de ${MAX_JSON_CONTAINERS} objetos e listas`,
  nul: "Texto com caractere nulo (\\u0000) não é aceito",
};

/** valibot schema types that take a JSON object: anything else (an array, a number, null) is a 422 for them. */
const OBJECT_SCHEMAS = new Set(["object", "loose_object", "strict_object", "object_with_rest", "record"]);
const isPlainObject = (x: unknown) => x !== null && typeof x === "object" && !Array.isArray(x);

const JSON_INCOMPATIBLE = /^(multipart\/form-data|application\/x-www-form-urlencoded)/i;

/**
 * Builds a definition's validated input. The body is parsed here, whatever the content type says (a missing
 * or `text/plain` content type still parses as JSON; a form content type on a JSON route is 415).
 * A path parameter that does not fit is 404 with a string detail: the client's pages crash on a 422 array there.
 */
export async function readInput(
  req: Request,
  rawParams: Record<string, string>,
  rawQuery: Record<string, string>,
  def: AnyFunctionDef,
  maxBody: number,
  incoming?: IncomingMessage,
): Promise<Input<unknown, unknown, unknown>> {
  let params: unknown = rawParams;
  if (def.params) {
    const r = v.safeParse(def.params, rawParams);
    if (!r.success) throw new AppError(404, "Não encontrado");
    params = r.output;
  }
  let query: unknown = rawQuery;
  for (const [key, value] of Object.entries(rawQuery)) {
    if (value.includes("\u0000")) throw new AppError(422, [{ loc: ["query", key], msg: SHAPE_MESSAGES.nul, type: "string_nul" }]);
  }
  if (def.query) {
    const r = v.safeParse(def.query, rawQuery);
    if (!r.success) throw new AppError(422, toValidationIssues("query", r.issues));
    query = r.output;
  }
  let body: unknown;
  let form: FormData | undefined;
  const contentType = (incoming ? incoming.headers["content-type"] : req.headers.get("content-type")) ?? "";
  if (def.body === "multipart") {
    if (!/^multipart\/form-data/i.test(contentType)) throw new AppError(415, "Content-Type deve ser multipart/form-data");
    const bytes = await readBodyBytes(req, maxBody, incoming);
    try {
      form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": contentType } }).formData();
    } catch {
      throw new AppError(400, "Formulário multipart inválido");
    }
  } else if (def.body) {
    if (JSON_INCOMPATIBLE.test(contentType)) throw new AppError(415, "Content-Type deve ser application/json");
    const bytes = await readBodyBytes(req, maxBody, incoming);
    const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
    let parsed: unknown;
    if (text.trim() !== "") {
      const problem = jsonShapeProblem(text);
      if (problem)
        throw new AppError(422, [{ loc: ["body"], msg: SHAPE_MESSAGES[problem], type: problem === "nul" ? "string_nul" : "json_invalid" }]);
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new AppError(422, [{ loc: ["body"], msg: `JSON inválido: ${(err as Error).message}`, type: "json_invalid" }]);
      }
    }
    // note: valibot's object schemas take an array as an object with no keys; `[]` on an object route must be a
    // 422 like FastAPI's, not an empty change answered 200.
    if (OBJECT_SCHEMAS.has((def.body as { type?: string }).type ?? "") && parsed !== undefined && !isPlainObject(parsed)) {
      throw new AppError(422, [
        { loc: ["body"], msg: "O corpo da requisição deve ser um objeto JSON", type: "model_attributes_type", input: summarize(parsed) },
      ]);
    }
    const r = v.safeParse(def.body, parsed);
    if (!r.success) throw new AppError(422, toValidationIssues("body", r.issues));
    body = r.output;
  }
  // `headers` on demand: a web Headers copy of the request's headers is built only if a handler reads it.
  return {
    params,
    query,
    body,
    form,
    get headers() {
      return req.headers;
    },
  } as Input<unknown, unknown, unknown>;
}

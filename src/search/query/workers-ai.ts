import { cleanFilters, cleanSort, cleanTitle } from "./clean";
import { plainReading, type QueryInterpretation, type QueryParser, type QueryVocabulary } from "./interface";
import { ANSWER_JSON_SCHEMA, ModelAnswer, promptGenres, systemPrompt } from "./workers-ai-prompt";

/**
 * Default text model: Llama 3.3 70B, fp8 "fast". It is on the Workers AI JSON-mode list
 * (https://developers.cloudflare.com/workers-ai/features/json-mode/) and is still typed in the
 * installed @cloudflare/workers-types with a `response_format` of json_object/json_schema; the
 * smaller "@cf/meta/llama-3.1-8b-instruct-fast" on the same list is no longer in those types.
 */
export const DEFAULT_QUERY_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
/** Past this the local parser answers instead: a search box should not wait on a model. */
export const DEFAULT_QUERY_TIMEOUT_MS = 3000;
const MAX_QUERY = 500;
const MAX_TEXT = 500;
const MAX_MODEL_NOTES = 10;
const MAX_NOTE = 200;
// The answer is a small object; the default of 256 tokens can cut it short when notes are long.
const MAX_ANSWER_TOKENS = 512;

export interface WorkersAiQueryParserOptions {
  ai: Ai;
  /** A Workers AI text-generation model that supports JSON mode, e.g. DEFAULT_QUERY_MODEL. */
  model: string;
  /** Answers when the model fails, times out or breaks the schema (normally LocalQueryParser). */
  fallback: QueryParser;
  timeoutMs?: number;
  /** Today, given to the model for "recent" and "this season"; defaults to the system clock. */
  now?: () => Date;
}

/** Why the model's answer was not used; said in the fallback note. */
class AnswerUnusable extends Error {}

/**
 * Asks a Workers AI text model, held to a JSON schema, what the query means, then cleans the
 * answer to the browse filter rules (unknown genres dropped, ranges fixed). Any failure (the
 * call throws, times out, returns no JSON or the wrong shape) is answered by `fallback`, with
 * a note saying so. Never throws.
 */
export class WorkersAiQueryParser implements QueryParser {
  readonly backend = "workers-ai" as const;
  private readonly timeoutMs: number;

  constructor(private readonly options: WorkersAiQueryParserOptions) {
    const t = options.timeoutMs;
    this.timeoutMs = typeof t === "number" && t > 0 && Number.isFinite(t) ? t : DEFAULT_QUERY_TIMEOUT_MS;
  }

  async parse(query: string, vocabulary: QueryVocabulary): Promise<QueryInterpretation> {
    let answer: ModelAnswer;
    try {
      answer = await this.ask(String(query ?? "").slice(0, MAX_QUERY), vocabulary);
    } catch (e) {
      return this.fallback(query, vocabulary, e instanceof AnswerUnusable ? e.message : "the call failed");
    }
    const { draft, newer_than, older_than } = yearsNotTitles(answer);
    const { filters, notes } = cleanFilters(draft, vocabulary);
    const sort = cleanSort(answer.sort, notes);
    const modelNotes = (answer.notes ?? []).map((n) => squash(n).slice(0, MAX_NOTE)).filter(Boolean);
    return {
      backend: "workers-ai",
      text: squash(answer.text).slice(0, MAX_TEXT),
      filters,
      similar_to: cleanTitle(answer.similar_to),
      newer_than,
      older_than,
      sort,
      notes: [...modelNotes.slice(0, MAX_MODEL_NOTES), ...notes],
    };
  }

  private async ask(query: string, vocabulary: QueryVocabulary): Promise<ModelAnswer> {
    const clock = this.options.now?.();
    const now = clock instanceof Date && !Number.isNaN(clock.getTime()) ? clock : new Date();
    const request = {
      messages: [
        { role: "system", content: systemPrompt(promptGenres(vocabulary), now) },
        { role: "user", content: query },
      ],
      response_format: { type: "json_schema", json_schema: ANSWER_JSON_SCHEMA },
      max_tokens: MAX_ANSWER_TOKENS,
      temperature: 0,
    };
    const raw = await withTimeout((signal) => this.options.ai.run(this.options.model, request, { signal }), this.timeoutMs);
    const parsed = ModelAnswer.safeParse(answerOf(raw));
    if (!parsed.success) throw new AnswerUnusable("its answer did not match the schema");
    return parsed.data;
  }

  private async fallback(query: string, vocabulary: QueryVocabulary, reason: string): Promise<QueryInterpretation> {
    const note = `Workers AI could not interpret the query (${reason}); the local parser was used.`;
    try {
      const local = await this.options.fallback.parse(query, vocabulary);
      return { ...local, notes: [note, ...local.notes] };
    } catch {
      // The fallback is meant never to throw; if it does, the query is still searched as text.
      return plainReading("local", squash(String(query ?? "")).slice(0, MAX_TEXT), [note]);
    }
  }
}

/**
 * The JSON object inside a Workers AI reply: `response` (an object in JSON mode, or JSON text)
 * for the classic text-generation models, `choices[0].message.content` for chat-completions ones.
 */
function answerOf(raw: unknown): unknown {
  const reply = raw as { response?: unknown; choices?: { message?: { content?: unknown } }[] } | null;
  const body = reply?.response ?? reply?.choices?.[0]?.message?.content;
  if (typeof body !== "string") {
    if (body && typeof body === "object") return body;
    throw new AnswerUnusable("it gave no answer");
  }
  try {
    // Some models wrap JSON in a markdown fence despite JSON mode.
    return JSON.parse(body.replace(/^\s*```(?:json)?\s*|\s*```\s*$/giu, ""));
  } catch {
    throw new AnswerUnusable("its answer was not JSON");
  }
}

async function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new AnswerUnusable(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    // The race, not only the signal, bounds the wait: the binding may not stop on abort.
    return await Promise.race([Promise.resolve().then(() => call(controller.signal)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const squash = (s: string): string => s.replace(/\s+/gu, " ").trim();

/**
 * A model that writes a year as the title of "newer than" ("newer than 2010" → "2010") meant
 * a year filter: it becomes one (after 2010 → from 2011), so the route never looks up an
 * anime named "2010". Real titles are kept for the route to date.
 */
function yearsNotTitles(answer: ModelAnswer): { draft: ModelAnswer; newer_than: string | null; older_than: string | null } {
  const year = (title: string | null) => (title && /^(?:19|20)\d\d$/u.test(title) ? Number(title) : undefined);
  const draft = { ...answer };
  let newer_than = cleanTitle(answer.newer_than);
  let older_than = cleanTitle(answer.older_than);
  const after = year(newer_than);
  if (after !== undefined) {
    draft.year_from = Math.max(draft.year_from ?? after + 1, after + 1);
    newer_than = null;
  }
  const before = year(older_than);
  if (before !== undefined) {
    draft.year_to = Math.min(draft.year_to ?? before - 1, before - 1);
    older_than = null;
  }
  return { draft, newer_than, older_than };
}

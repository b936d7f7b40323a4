import { describe, expect, it } from "vitest";
import { plainReading, type QueryInterpretation, type QueryParser, type QueryVocabulary } from "./interface";
import { LocalQueryParser } from "./local";
import { expectValidInterpretation, seededRandom } from "./testkit";
import { DEFAULT_QUERY_MODEL, WorkersAiQueryParser } from "./workers-ai";
import { ANSWER_JSON_SCHEMA, MAX_PROMPT_GENRES } from "./workers-ai-prompt";

// Workers AI has no local simulation (wrangler proxies it to the real service), so a recording
// stand-in for the binding is the only offline way to see the request and feed answers.
interface Call {
  model: string;
  inputs: { messages: { role: string; content: string }[]; response_format: { type: string; json_schema: typeof ANSWER_JSON_SCHEMA }; [k: string]: unknown };
  options: { signal?: AbortSignal };
}

function standInAi(reply: (call: Call) => unknown) {
  const calls: Call[] = [];
  const ai = {
    run: async (model: string, inputs: Call["inputs"], options: Call["options"]) => {
      const call = { model, inputs, options };
      calls.push(call);
      return reply(call);
    },
  } as unknown as Ai;
  return { ai, calls };
}

const FALLBACK_ANSWER: QueryInterpretation = { ...plainReading("local", "from the fallback", ["fallback note"]), filters: { min_score: 1 } };

function recordingFallback() {
  const queries: string[] = [];
  const fallback: QueryParser = {
    backend: "local",
    parse: async (query) => {
      queries.push(query);
      return FALLBACK_ANSWER;
    },
  };
  return { fallback, queries };
}

const VOCAB: QueryVocabulary = { genres: ["Action", "Comedy", "Mecha", "Romance", "Sci-Fi", "Slice of Life"] };
const NOW = new Date("2026-11-21T12:00:00Z");

function parserWith(reply: (call: Call) => unknown, timeoutMs?: number) {
  const { ai, calls } = standInAi(reply);
  const { fallback, queries } = recordingFallback();
  const parser = new WorkersAiQueryParser({ ai, model: DEFAULT_QUERY_MODEL, fallback, timeoutMs, now: () => NOW });
  return { parser, calls, fallbackQueries: queries };
}

describe("the request", () => {
  it("asks the configured model in JSON mode, with today's year, the enum values and the vocabulary", async () => {
    const { parser, calls } = parserWith(() => ({ response: { text: "" } }));
    await parser.parse("90s mecha", VOCAB);
    expect(calls).toHaveLength(1);
    const [{ model, inputs, options }] = calls;
    expect(model).toBe("@cf/meta/llama-3.3-70b-instruct-fp8-fast");
    expect(inputs.response_format).toEqual({ type: "json_schema", json_schema: ANSWER_JSON_SCHEMA });
    expect(Object.keys(ANSWER_JSON_SCHEMA.properties)).toEqual(expect.arrayContaining(["text", "similar_to", "genres", "genres_exclude", "year_from", "min_score"]));
    expect(inputs.messages.map((m) => m.role)).toEqual(["system", "user"]);
    const [system, user] = inputs.messages.map((m) => m.content);
    expect(user).toBe("90s mecha");
    expect(system).toContain("2026-11-21");
    for (const value of ["TV", "MOVIE", "OVA", "ONA", "SPECIAL", "FINISHED", "ONGOING", "UPCOMING", "WINTER", "FALL"]) expect(system).toContain(value);
    expect(system).toContain("Genre list: Action, Comedy, Mecha, Romance, Sci-Fi, Slice of Life");
    expect(options.signal).toBeInstanceOf(AbortSignal);
  });

  it("truncates a large vocabulary, keeping its first (most used) names", async () => {
    const genres = Array.from({ length: 1000 }, (_, i) => `tag${i}`);
    const { parser, calls } = parserWith(() => ({ response: { text: "" } }));
    await parser.parse("anything", { genres });
    const system = calls[0].inputs.messages[0].content;
    expect(system).toContain("tag0, tag1,");
    expect(system).toContain(`tag${MAX_PROMPT_GENRES - 1}`);
    expect(system).not.toContain(`tag${MAX_PROMPT_GENRES},`);
  });
});

describe("a valid answer", () => {
  const answer = {
    text: "pilots",
    similar_to: "",
    type: ["MOVIE"],
    year_from: 1990,
    year_to: 1999,
    genres: ["mecha"],
    genres_exclude: ["Romance"],
    min_score: 8,
    notes: ['"90s" → years 1990–1999'],
  };
  const expected = {
    backend: "workers-ai",
    text: "pilots",
    similar_to: null,
    newer_than: null,
    older_than: null,
    sort: null,
    filters: { type: ["MOVIE"], year_from: 1990, year_to: 1999, genres: ["Mecha"], genres_exclude: ["Romance"], min_score: 8 },
    notes: ['"90s" → years 1990–1999'],
  };

  it.each([
    ["an object in `response` (JSON mode)", { response: answer }],
    ["JSON text in `response`", { response: JSON.stringify(answer) }],
    ["JSON in a markdown fence", { response: "```json\n" + JSON.stringify(answer) + "\n```" }],
    ["chat-completions `choices`", { choices: [{ message: { content: JSON.stringify(answer) } }] }],
  ])("is mapped from %s", async (_shape, reply) => {
    const { parser, fallbackQueries } = parserWith(() => reply);
    const result = await parser.parse("90s mecha movies about pilots without romance", VOCAB);
    expect(result).toEqual(expected);
    expect(fallbackQueries).toEqual([]);
    expectValidInterpretation(result, VOCAB, "valid answer");
  });

  it("keeps the named title", async () => {
    const { parser } = parserWith(() => ({ response: { text: "", similar_to: "  Cowboy Bebop " } }));
    expect((await parser.parse("like cowboy bebop", VOCAB)).similar_to).toBe("Cowboy Bebop");
  });

  it("keeps the sort and the titles compared with, as the local parser reads them", async () => {
    const query = "best mecha like cowboy bebop but newer, older than Steins;Gate";
    const { parser } = parserWith(() => ({
      response: { text: "", similar_to: "cowboy bebop", newer_than: " cowboy  bebop ", older_than: "Steins;Gate", sort: "score", genres: ["Mecha"], notes: ['"best" → sort by score'] },
    }));
    const result = await parser.parse(query, VOCAB);
    expect(result).toEqual({
      backend: "workers-ai",
      text: "",
      filters: { genres: ["Mecha"] },
      similar_to: "cowboy bebop",
      newer_than: "cowboy bebop",
      older_than: "Steins;Gate",
      sort: "score",
      notes: ['"best" → sort by score'],
    });
    // Same kinds of output as the local parser for the same words.
    const local = await new LocalQueryParser({ now: () => NOW }).parse(query, VOCAB);
    expect({ ...local, backend: "workers-ai", notes: result.notes }).toEqual(result);
  });
});

describe("the prompt's conventions for issue 14's phrases", () => {
  it("asks for sort, newer_than and older_than, and says what the words mean", async () => {
    const { parser, calls } = parserWith(() => ({ response: { text: "" } }));
    await parser.parse("best mecha newer than cowboy bebop", VOCAB);
    expect(ANSWER_JSON_SCHEMA.properties.sort).toEqual({ type: "string", enum: ["score", "popularity"] });
    expect(ANSWER_JSON_SCHEMA.properties.newer_than).toEqual({ type: "string" });
    expect(ANSWER_JSON_SCHEMA.properties.older_than).toEqual({ type: "string" });
    const system = calls[0].inputs.messages[0].content;
    expect(system).toContain('score for "best", "top rated", "highest rated", "greatest", "highly rated", "with high scores", "well rated"');
    expect(system).toContain('popularity for "popular", "most popular", "well known", "famous"');
    expect(system).toContain('"highly rated", "with high scores", "well rated", "acclaimed" = 8). Not for "best"');
    expect(system).toContain("Never turn a title into years yourself");
    expect(system).toContain('"giant robots" = Mecha');
    expect(system).toContain('"short"/"not too long" = episodes_max 13; "long" = episodes_min 50');
    expect(system).toContain('"after 2015"/"newer than 2015" = year_from 2016');
  });

  it("drops an unknown sort with a note and reads a sort in any case", async () => {
    const unknown = parserWith(() => ({ response: { text: "", sort: "rating" } }));
    const r = await unknown.parser.parse("q", VOCAB);
    expect(unknown.fallbackQueries).toEqual([]);
    expect(r.sort).toBeNull();
    expect(r.notes).toContain('unknown sort "rating" ignored');
    const upper = parserWith(() => ({ response: { text: "", sort: " POPULARITY " } }));
    expect((await upper.parser.parse("q", VOCAB)).sort).toBe("popularity");
  });

  it("turns a year written as the title compared with into a year filter", async () => {
    const { parser } = parserWith(() => ({ response: { text: "", newer_than: "2010", older_than: "2020", year_to: 2030 } }));
    const r = await parser.parse("newer than 2010, older than 2020", VOCAB);
    expect(r).toMatchObject({ newer_than: null, older_than: null, filters: { year_from: 2011, year_to: 2019 } });
  });

  it("keeps an empty title as none", async () => {
    const { parser } = parserWith(() => ({ response: { text: "", newer_than: "  ", older_than: "", similar_to: "" } }));
    expect(await parser.parse("q", VOCAB)).toMatchObject({ newer_than: null, older_than: null, similar_to: null, sort: null });
  });
});

describe("cleaning", () => {
  it("drops unknown genres, fixes inverted and out-of-range values, and says so", async () => {
    const { parser, fallbackQueries } = parserWith(() => ({
      response: {
        text: "x",
        genres: ["Isekai", "SCI-FI", "Romance"],
        genres_exclude: ["romance"],
        type: ["movie", "BOGUS"],
        season: ["autumn"],
        year_from: 2005,
        year_to: 1850,
        min_score: 15,
        episodes_min: 30,
        episodes_max: 10,
        similar_to: null,
        status: null,
      },
    }));
    const result = await parser.parse("q", VOCAB);
    expect(fallbackQueries).toEqual([]);
    expect(result.filters).toEqual({
      type: ["MOVIE"],
      season: ["FALL"],
      year_from: 1907,
      year_to: 2005,
      min_score: 10,
      episodes_min: 10,
      episodes_max: 30,
      genres: ["Sci-Fi"],
      genres_exclude: ["Romance"],
    });
    expect(result.notes).toEqual(
      expect.arrayContaining(['unknown type "BOGUS" ignored', "years swapped to 1907–2005", 'unknown genre "Isekai" ignored', '"Romance" is both wanted and excluded: excluded']),
    );
    expectValidInterpretation(result, VOCAB, "cleaned");
  });

  it("clamps a negative score and episode count", async () => {
    const { parser } = parserWith(() => ({ response: { text: "", min_score: -3, episodes_max: -1, year_from: 3000 } }));
    expect((await parser.parse("q", VOCAB)).filters).toEqual({ min_score: 0, episodes_max: 0, year_from: 2100 });
  });

  it("keeps the contract whatever numbers and names the model invents", async () => {
    const random = seededRandom(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    const num = () => pick([undefined, null, -1e9, -1, 0, 0.5, 7.25, 10, 13, 1906, 1907, 1999, 2100, 2101, 1e300, random() * 5000 - 1000]);
    const names = () => (random() < 0.3 ? undefined : Array.from({ length: Math.floor(random() * 15) }, () => pick([...VOCAB.genres, "mecha", "SCI FI", "isekai", "", " ", "a,b", "TV", "movie", "autumn", "x".repeat(150)])));
    for (let i = 0; i < 2000; i++) {
      const reply = { response: { text: pick(["", "pilots", "  spaced  "]), sort: pick([undefined, null, "score", "popularity", "year", ""]), newer_than: pick([undefined, null, "", "Monster", "1999", "20100"]), type: names(), type_exclude: names(), status: names(), season: names(), genres: names(), genres_exclude: names(), year_from: num(), year_to: num(), min_score: num(), episodes_min: num(), episodes_max: num() } };
      const { parser, fallbackQueries } = parserWith(() => reply);
      const result = await parser.parse("q", VOCAB);
      expect(fallbackQueries, JSON.stringify(reply)).toEqual([]);
      expectValidInterpretation(result, VOCAB, `#${i} ${JSON.stringify(reply)}`);
    }
  });
});

describe("fallback", () => {
  const fellBack = (result: QueryInterpretation, reason: string) => {
    expect(result.text).toBe(FALLBACK_ANSWER.text);
    expect(result.filters).toEqual(FALLBACK_ANSWER.filters);
    expect(result.notes[0]).toBe(`Workers AI could not interpret the query (${reason}); the local parser was used.`);
    expect(result.notes.slice(1)).toEqual(FALLBACK_ANSWER.notes);
  };

  it("answers with the fallback when the call throws", async () => {
    const { parser, fallbackQueries } = parserWith(() => {
      throw new Error("3040: capacity exceeded");
    });
    fellBack(await parser.parse("90s mecha", VOCAB), "the call failed");
    expect(fallbackQueries).toEqual(["90s mecha"]);
  });

  it("answers with the fallback, and aborts the call, on timeout", async () => {
    const { parser, calls, fallbackQueries } = parserWith(() => new Promise(() => {}), 20);
    const started = Date.now();
    fellBack(await parser.parse("90s mecha", VOCAB), "no answer within 20 ms");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(calls[0].options.signal?.aborted).toBe(true);
    expect(fallbackQueries).toEqual(["90s mecha"]);
  });

  it.each([
    ["text that is not JSON", { response: "Sure! Here are some anime: {" }, "its answer was not JSON"],
    ["no response at all", {}, "it gave no answer"],
    ["a null reply", null, "it gave no answer"],
    ["an object without text", { response: { genres: ["Mecha"] } }, "its answer did not match the schema"],
    ["a year in words", { response: { text: "", year_from: "nineties" } }, "its answer did not match the schema"],
    ["genres as one string", { response: { text: "", genres: "Mecha" } }, "its answer did not match the schema"],
    ["a JSON array", { response: "[1, 2]" }, "its answer did not match the schema"],
  ])("answers with the fallback on %s", async (_what, reply, reason) => {
    const { parser, fallbackQueries } = parserWith(() => reply);
    fellBack(await parser.parse("90s mecha", VOCAB), reason);
    expect(fallbackQueries).toHaveLength(1);
  });

  it("uses the real local parser as a fallback end to end", async () => {
    const { ai } = standInAi(() => {
      throw new Error("down");
    });
    const parser = new WorkersAiQueryParser({ ai, model: DEFAULT_QUERY_MODEL, fallback: new LocalQueryParser({ now: () => NOW }) });
    const result = await parser.parse("mecha anime about pilots without romance from the 90s", VOCAB);
    expect(result).toMatchObject({ text: "pilots", filters: { genres: ["Mecha"], genres_exclude: ["Romance"], year_from: 1990, year_to: 1999 } });
    expect(result.notes[0]).toContain("the local parser was used");
  });

  it("never throws, even when the fallback does", async () => {
    const { ai } = standInAi(() => {
      throw new Error("down");
    });
    const broken: QueryParser = {
      backend: "local",
      parse: () => {
        throw new Error("also down");
      },
    };
    const parser = new WorkersAiQueryParser({ ai, model: DEFAULT_QUERY_MODEL, fallback: broken });
    const result = await parser.parse("  90s   mecha ", VOCAB);
    expect(result).toEqual(plainReading("local", "90s mecha", ["Workers AI could not interpret the query (the call failed); the local parser was used."]));
  });
});

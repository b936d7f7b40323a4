import { describe, expect, it } from "vitest";
import { inlineSchema, operationShapes, type OpenApiDocument } from "./schemas";

const doc: OpenApiDocument = {
  paths: {
    "/v1/anime/{id}": {
      get: {
        operationId: "getAnime",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "integer", example: 1 } },
          { name: "fields", in: "query", description: "Only these.", schema: { type: "array", items: { type: "string" } } },
          { name: "X-Trace", in: "header", schema: { type: "string" } },
        ],
        responses: { "200": { content: { "application/json": { schema: { $ref: "#/components/schemas/Hit" } } } } },
      },
    },
    "/v1/query": {
      post: {
        operationId: "ask",
        requestBody: { content: { "application/json": { schema: { type: "object", properties: { query: { type: "string" } }, required: ["query"] } } } },
        responses: {},
      },
    },
  },
  components: {
    schemas: {
      Anime: { type: "object", description: "One anime.", properties: { id: { type: "integer", example: 1 }, description: { type: "string" } }, required: ["id", "description"] },
      Hit: { allOf: [{ $ref: "#/components/schemas/Anime" }, { type: "object", properties: { match: { type: "number" } }, required: ["match"] }] },
    },
  },
};

describe("tool schemas from the OpenAPI document", () => {
  it("inlines references, drops examples, and drops Anime's `required` (a `fields` projection may not meet it)", () => {
    expect(inlineSchema({ $ref: "#/components/schemas/Hit" }, doc, true)).toEqual({
      allOf: [
        { type: "object", description: "One anime.", properties: { id: { type: "integer" }, description: { type: "string" } } },
        { type: "object", properties: { match: { type: "number" } }, required: ["match"] },
      ],
    });
  });

  it("drops descriptions for output schemas, never a property that happens to be named description", () => {
    const out = inlineSchema(doc.components!.schemas!.Anime, doc, false) as any;
    expect(out.description).toBeUndefined();
    expect(out.properties.description).toEqual({ type: "string" });
  });

  it("places path and query parameters and JSON body fields; header parameters are not arguments", () => {
    const shapes = operationShapes(doc);
    const get = shapes.get("getAnime")!;
    expect(get).toMatchObject({ method: "GET", path: "/v1/anime/{id}", placement: { id: "path", fields: "query" }, required: ["id"] });
    expect(get.properties.fields).toEqual({ type: "array", items: { type: "string" }, description: "Only these." });
    expect(get.properties["X-Trace"]).toBeUndefined();
    expect(shapes.get("ask")).toMatchObject({ method: "POST", placement: { query: "body" }, required: ["query"], output: { type: "object" } });
  });
});

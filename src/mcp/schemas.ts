import type { StandardSchemaWithJSON } from "@modelcontextprotocol/server";

/** A JSON Schema (2020-12, as OpenAPI 3.1 writes it), or a part of one. */
export type JsonSchema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

/** The parts of the OpenAPI document (GET /openapi.json) the tools are derived from. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/**
 * One REST operation as a tool calls it: where each argument goes, and the JSON Schemas of its
 * arguments and of its 200 answer. Both come from the OpenAPI document, which the zod schemas
 * beside each route generate: the tools repeat no schema by hand.
 */
export interface OperationShape {
  operationId: string;
  method: string;
  /** The OpenAPI path, `{name}` for a path parameter. */
  path: string;
  /** Where each argument goes: the path, the query string or the JSON body. */
  placement: Record<string, "path" | "query" | "body">;
  properties: Record<string, JsonSchema>;
  required: string[];
  output: JsonSchema;
}

/**
 * Components whose `required` a tool answer may not meet: with `fields=a,b` an anime carries
 * only the fields listed (the document says so in the Anime description), and the tools ask
 * for compact fields by default. Clients validate `structuredContent` against `outputSchema`.
 */
const PROJECTED_COMPONENTS = new Set(["Anime"]);

/** Keywords whose value maps names to subschemas (a name is not a keyword). */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "dependentSchemas"]);
/** Keywords whose value is data, copied as it is. */
const DATA_KEYWORDS = new Set(["enum", "const", "default", "required"]);
/** Documentation for readers of the document, not for a model: left out of tool schemas. */
const DROPPED = new Set(["example", "examples", "externalDocs", "xml", "deprecated"]);

/**
 * The schema with every `#/components/schemas/…` reference inlined (tool schemas must stand
 * alone), examples dropped and, for output schemas, descriptions too (a model reads the input
 * schema; the output schema is for validating clients, and a list of 13 tools repeats it).
 */
export function inlineSchema(schema: unknown, doc: OpenApiDocument, keepDescriptions: boolean, seen: string[] = []): unknown {
  if (Array.isArray(schema)) return schema.map((s) => inlineSchema(s, doc, keepDescriptions, seen));
  if (schema === null || typeof schema !== "object") return schema;
  const source = schema as JsonSchema;
  const ref = typeof source.$ref === "string" ? /^#\/components\/schemas\/(.+)$/.exec(source.$ref)?.[1] : undefined;
  if (ref !== undefined) {
    const { $ref: _ref, ...siblings } = source;
    // The catalog's schemas are not recursive; a cycle would be cut rather than loop.
    const target = seen.includes(ref) ? {} : (inlineSchema(doc.components?.schemas?.[ref] ?? {}, doc, keepDescriptions, [...seen, ref]) as JsonSchema);
    if (PROJECTED_COMPONENTS.has(ref)) delete target.required;
    return { ...target, ...(inlineSchema(siblings, doc, keepDescriptions, seen) as JsonSchema) };
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(source)) {
    if (DROPPED.has(key) || (key === "description" && !keepDescriptions)) continue;
    if (DATA_KEYWORDS.has(key)) out[key] = value;
    else if (SCHEMA_MAPS.has(key) && value && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, inlineSchema(s, doc, keepDescriptions, seen)]));
    } else out[key] = inlineSchema(value, doc, keepDescriptions, seen);
  }
  return out;
}

/** Every operation of the document by operationId, shaped for the tools. */
export function operationShapes(doc: OpenApiDocument): Map<string, OperationShape> {
  const shapes = new Map<string, OperationShape>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op?.operationId) continue;
      const placement: OperationShape["placement"] = {};
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const p of op.parameters ?? []) {
        if (p.in !== "path" && p.in !== "query") continue;
        placement[p.name] = p.in;
        const schema = inlineSchema(p.schema, doc, true) as JsonSchema;
        properties[p.name] = p.description && !schema.description ? { ...schema, description: p.description } : schema;
        if (p.required) required.push(p.name);
      }
      const body = op.requestBody?.content?.["application/json"]?.schema;
      if (body) {
        const inlined = inlineSchema(body, doc, true) as { properties?: Record<string, JsonSchema>; required?: string[] };
        for (const [name, schema] of Object.entries(inlined.properties ?? {})) {
          placement[name] = "body";
          properties[name] = schema;
        }
        required.push(...(inlined.required ?? []));
      }
      const ok = op.responses?.["200"]?.content?.["application/json"]?.schema;
      const output = ok ? (inlineSchema(ok, doc, false) as JsonSchema) : { type: "object" };
      shapes.set(op.operationId, { operationId: op.operationId, method: method.toUpperCase(), path, placement, properties, required, output });
    }
  }
  return shapes;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A Standard Schema carrying a JSON Schema, for the SDK's `inputSchema`/`outputSchema`. It
 * checks only that the value is an object: the route a tool dispatches validates the arguments
 * with its own zod schema, so a bad argument is the route's 400 `validation_failed` naming the
 * parameter, the same answer REST gives (one place for validation and its errors).
 */
export function jsonSchemaOf(json: JsonSchema): StandardSchemaWithJSON<Record<string, unknown>> {
  return {
    "~standard": {
      version: 1,
      vendor: "kensho",
      validate: (value: unknown) => (isPlainObject(value) ? { value } : { issues: [{ message: "expected an object of named arguments" }] }),
      jsonSchema: { input: () => json, output: () => json },
    },
  };
}

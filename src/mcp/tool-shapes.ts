import { z } from "@hono/zod-openapi";
import { inlineSchema, operationShapes, type JsonSchema, type OpenApiDocument, type OperationShape } from "./schemas";
import { REST_ONLY_PARAMS, TOOL_SPECS, type ToolSpec } from "./tools";

/** A tool ready to register: its spec, its JSON Schemas, and the operations it may call. */
export interface ToolShape {
  spec: ToolSpec;
  input: JsonSchema;
  output: JsonSchema;
  operations: Map<string, OperationShape>;
  /** Arguments the tool applies itself (borrowed from another operation), not sent to the route. */
  own: Set<string>;
}

/** How a list travels in a query string (`type=x&type=y` or `type=x,y`): REST's concern; a tool takes a JSON array. */
const QUERY_LIST_NOTE = / Repeatable \(`[^`]*`\) or comma-separated \(`[^`]*`\)(, at most \d+ values)?\./;

/** A parameter as a tool lists it: the REST-only wording of list parameters left out, and a tool default said where REST says "all when absent". */
function toolParameter(schema: JsonSchema, toolDefault?: unknown): JsonSchema {
  const out: JsonSchema = toolDefault === undefined ? { ...schema } : { ...schema, default: toolDefault };
  if (typeof out.description === "string") {
    out.description = out.description
      .replace(QUERY_LIST_NOTE, (_, most?: string) => (most ? ` At most ${most.replace(/^, at most /, "")}.` : ""))
      .replace("; all when absent.", toolDefault === undefined ? "; all when absent." : "; the default list when absent (ask for others by name).");
  }
  return out;
}

/** The JSON body's properties of a route that declares none in the document (its zod schema). */
function bodyProperties(body: z.ZodObject, doc: OpenApiDocument): { properties: Record<string, JsonSchema>; required: string[] } {
  const json = z.toJSONSchema(body, { io: "input", target: "draft-2020-12" }) as { properties?: Record<string, JsonSchema>; required?: string[] };
  const properties = Object.fromEntries(Object.entries(json.properties ?? {}).map(([k, v]) => [k, inlineSchema(v, doc, true) as JsonSchema]));
  return { properties, required: json.required ?? [] };
}

/**
 * Derives every tool from the OpenAPI document (which the routes' zod schemas generate): the
 * first operation's parameters and body become the input schema, with the tool's defaults
 * shown; the 200 answers of its operations the output schema. A tool whose operations are not
 * all in the document is left out (the schedule tools before src/routes/schedule existed).
 */
export function toolShapes(doc: OpenApiDocument): ToolShape[] {
  const ops = operationShapes(doc);
  const shapes: ToolShape[] = [];
  for (const spec of TOOL_SPECS) {
    if (!spec.operations.every((id) => ops.has(id))) continue;
    const first = ops.get(spec.operations[0])!;
    const operations = new Map(spec.operations.map((id) => [id, structuredClone(ops.get(id)!)]));
    const properties: Record<string, JsonSchema> = {};
    for (const [name, schema] of Object.entries(first.properties)) if (!REST_ONLY_PARAMS.has(name)) properties[name] = toolParameter(schema, spec.defaults?.[name]);
    const required = first.required.filter((name) => !spec.optional?.includes(name));
    const own = new Set<string>();
    for (const name of spec.borrow?.names ?? []) {
      const borrowed = ops.get(spec.borrow!.operationId)?.properties[name];
      if (borrowed) {
        properties[name] = toolParameter(borrowed, spec.defaults?.[name]);
        own.add(name);
      }
    }
    if (spec.body) {
      const body = bodyProperties(spec.body, doc);
      Object.assign(properties, body.properties);
      required.push(...body.required);
      for (const op of operations.values()) for (const name of Object.keys(body.properties)) op.placement[name] = "body";
    }
    Object.assign(properties, spec.extra ?? {});
    const outputs = [...new Map([...operations.values()].map((op) => [JSON.stringify(op.output), op.output])).values()];
    shapes.push({
      spec,
      input: { type: "object", properties, ...(required.length ? { required } : {}), additionalProperties: false },
      output: outputs.length === 1 ? outputs[0] : { type: "object", anyOf: outputs },
      operations,
      own,
    });
  }
  return shapes;
}

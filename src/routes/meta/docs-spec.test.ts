import { describe, expect, it } from "vitest";
import { SHOW_EXAMPLES_NOT_SENT } from "./docs-spec";

/** The page's transform, run as the browser runs it. */
const showExamplesNotSent = new Function("spec", SHOW_EXAMPLES_NOT_SENT) as (spec: unknown) => any;

describe("the docs page's view of the document", () => {
  const spec = () => ({
    paths: {
      "/v1/search": {
        get: {
          parameters: [
            { name: "q", in: "query", required: true, description: "What to look for.", schema: { type: "string", example: "cowby bebop" } },
            { name: "type", in: "query", required: false, description: "Only these types.", schema: { type: "array", items: { type: "string" }, example: ["TV", "MOVIE"] } },
            { name: "explain", in: "query", required: false, description: "Add scores.", schema: { type: "boolean", default: false } },
            { name: "limit", in: "query", example: 10, schema: { type: "integer", default: 20 } },
          ],
        },
      },
    },
  });

  it("keeps the example of a required parameter, which Try-it-out may fill in", () => {
    const [q] = showExamplesNotSent(spec()).paths["/v1/search"].get.parameters;
    expect(q.schema.example).toBe("cowby bebop");
    expect(q.description).toBe("What to look for.");
  });

  it("moves an optional parameter's example and default into its description, so nothing prefills it", () => {
    const [, type, explain, limit] = showExamplesNotSent(spec()).paths["/v1/search"].get.parameters;
    expect(type.schema).toEqual({ type: "array", items: { type: "string" } });
    expect(type.description).toBe("Only these types.\n\nExample: `TV,MOVIE`.");
    expect(explain.schema).toEqual({ type: "boolean" });
    expect(explain.description).toBe("Add scores.\n\nDefault: `false`.");
    expect([limit.example, limit.schema]).toEqual([undefined, { type: "integer" }]);
    expect(limit.description).toBe("Default: `20`. Example: `10`.");
  });
});

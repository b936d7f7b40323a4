import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { getJson, importEntries } from "./helpers";
import { entry, idOf, mal } from "./sync/fixtures";

describe("unknown episode counts", () => {
  it("are null, not 0, and match no episode range (as 0 would match episodes_max)", async () => {
    await importEntries(env.DB, [entry(9501, { title: "Unknowns Test Airing", episodes: 0, status: "ONGOING" }), entry(9502, { title: "Unknowns Test Short", episodes: 3 })], { source: "unknowns" });
    const [unknown, short] = [(await idOf(mal(9501)))!, (await idOf(mal(9502)))!];
    expect((await getJson(`/v1/anime/${unknown}?fields=episodes`)).body).toEqual({ episodes: null });
    const ids = async (q: string) => (await getJson(`/v1/anime?limit=100&studios=studio%20test&${q}`)).body.data.map((a: { id: number }) => a.id);
    expect(await ids("episodes_max=5")).toContain(short);
    expect(await ids("episodes_max=5")).not.toContain(unknown);
    expect(await ids("episodes_min=0")).not.toContain(unknown);
    expect(await ids("")).toContain(unknown);
  });
});

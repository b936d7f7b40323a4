import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { getJson, importEntries, resetCatalog } from "./helpers";
import { entry, onSites } from "./sync/fixtures";
import { TOP_MIN_SITES } from "../src/catalog/curated";

const scored = (s: number) => ({ score: { arithmeticGeometricMean: s, arithmeticMean: s, median: s } });

describe("/v1/top and /v1/popular", () => {
  it("top ranks aired anime listed on enough sites; a 10.0 on few sites or an unaired sequel is left out of top and popular", async () => {
    await resetCatalog();
    await importEntries(
      env.DB,
      [
        entry(9701, { title: "Top Widely Listed", sources: onSites(9701, TOP_MIN_SITES), ...scored(9.1) }),
        entry(9702, { title: "Top Everywhere", sources: onSites(9702, 10), ...scored(8.8) }),
        entry(9703, { title: "Top Obscure Perfect", sources: onSites(9703, TOP_MIN_SITES - 1), ...scored(10) }),
        entry(9704, { title: "Top Unaired Sequel", status: "UPCOMING", sources: onSites(9704, 10), ...scored(9.9) }),
        entry(9705, { title: "Top Unscored", sources: onSites(9705, 10) }),
      ],
      { source: "top" },
    );
    const titles = async (path: string) => (await getJson(path)).body.data.map((a: { title: string }) => a.title);
    expect(await titles("/v1/top?fields=title")).toEqual(["Top Widely Listed", "Top Everywhere"]);
    const popular = await titles("/v1/popular?fields=title");
    expect(popular).not.toContain("Top Unaired Sequel");
    expect(popular.slice(0, 2)).toEqual(["Top Everywhere", "Top Widely Listed"]);
    expect(await titles("/v1/seasons/upcoming?fields=title")).toContain("Top Unaired Sequel");
  });
});

import { z } from "@hono/zod-openapi";
import type { McpServer } from "@modelcontextprotocol/server";

const user = (text: string) => ({ messages: [{ role: "user" as const, content: { type: "text" as const, text } }] });

/**
 * Ready-made requests a client can offer its user; each names the tools to use, so the model
 * follows the id workflow. The airing prompt is offered only when the schedule tools are.
 */
export function registerPrompts(server: McpServer, tools: Set<string>): void {
  server.registerPrompt(
    "season_overview",
    {
      title: "Seasonal overview",
      description: "An overview of one anime season (the current one when no year or season is given).",
      argsSchema: z.object({
        year: z.string().optional().describe("The year, e.g. 2024 (default: the current season)."),
        season: z.string().optional().describe("winter, spring, summer or fall."),
      }),
    },
    ({ year, season }) =>
      user(
        (year && season ? `Give me an overview of the ${season} ${year} anime season.` : "Give me an overview of the current anime season.") +
          ` Use season_anime (${year && season ? `year ${year}, season "${season}", sort "score"` : 'when "now"'}, limit 25), then group the shows by genre, point out the best rated and the most talked-about (top_anime by popularity helps), and say which are sequels. Use get_anime for details only on the few you highlight.`,
      ),
  );
  server.registerPrompt(
    "find_similar",
    {
      title: "Find something like…",
      description: "Anime like a title the user names, excluding the title's own franchise.",
      argsSchema: z.object({ title: z.string().describe("An anime title, in any spelling.") }),
    },
    ({ title }) =>
      user(
        `Find me anime like "${title}". First resolve the title to a Kensho id with search_anime (check the top hit's title, type and year; ask me if it is ambiguous), then call similar_anime with that id and exclude_related true. Recommend five, each with one sentence on why it fits, using the shared tags in \`similarity\`.`,
      ),
  );
  if (tools.has("airing_schedule")) {
    server.registerPrompt(
      "airing_this_week",
      {
        title: "Airing this week",
        description: "What airs this week, in the user's time zone.",
        argsSchema: z.object({ tz: z.string().optional().describe("An IANA time zone such as America/New_York (default UTC).") }),
      },
      ({ tz }) =>
        user(
          `What anime air this week${tz ? ` in ${tz}` : ""}? Use airing_schedule${tz ? ` with tz "${tz}"` : ""} (limit 50, paging with cursor if there is more), and give a day-by-day list with local times; mark premieres (episode 1).`,
        ),
    );
  }
}

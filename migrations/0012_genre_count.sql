-- Genre counts, precomputed (src/catalog/genre-counts.ts): per genre key, a spelling and how
-- many ACTIVE anime have it. Hand-written: drizzle-kit does not model triggers. Written only
-- by the triggers below, within the statement that changes anime_genre or an anime's
-- system_status, so in every committed state it equals the aggregate over memberships
-- (reading it touches ~2,000 rows; the aggregate touches every membership, ~660,000 at 40k
-- anime). Rows stay at count 0. Writers must not use REPLACE on anime_genre: the rows it
-- deletes fire no trigger (recursive_triggers is off).
CREATE TABLE `genre_count` (
	`genre_key` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`active_count` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO genre_count (genre_key, name, active_count)
SELECT g.genre_key, min(g.name), count(a.id)
FROM anime_genre g LEFT JOIN anime a ON a.id = g.anime_id AND a.system_status = 'ACTIVE'
GROUP BY g.genre_key;
--> statement-breakpoint
CREATE TRIGGER genre_count_membership_ai AFTER INSERT ON anime_genre BEGIN
  INSERT INTO genre_count (genre_key, name, active_count)
  VALUES (new.genre_key, new.name, (SELECT count(*) FROM anime WHERE id = new.anime_id AND system_status = 'ACTIVE'))
  ON CONFLICT (genre_key) DO UPDATE SET active_count = active_count + excluded.active_count, name = min(name, excluded.name);
END;
--> statement-breakpoint
CREATE TRIGGER genre_count_membership_ad AFTER DELETE ON anime_genre BEGIN
  UPDATE genre_count SET active_count = active_count - 1
  WHERE genre_key = old.genre_key AND EXISTS (SELECT 1 FROM anime WHERE id = old.anime_id AND system_status = 'ACTIVE');
END;
--> statement-breakpoint
CREATE TRIGGER genre_count_membership_au AFTER UPDATE ON anime_genre BEGIN
  UPDATE genre_count SET active_count = active_count - 1
  WHERE genre_key = old.genre_key AND EXISTS (SELECT 1 FROM anime WHERE id = old.anime_id AND system_status = 'ACTIVE');
  INSERT INTO genre_count (genre_key, name, active_count)
  VALUES (new.genre_key, new.name, (SELECT count(*) FROM anime WHERE id = new.anime_id AND system_status = 'ACTIVE'))
  ON CONFLICT (genre_key) DO UPDATE SET active_count = active_count + excluded.active_count, name = min(name, excluded.name);
END;
--> statement-breakpoint
CREATE TRIGGER genre_count_status_au AFTER UPDATE OF system_status ON anime
WHEN (old.system_status = 'ACTIVE') <> (new.system_status = 'ACTIVE') BEGIN
  UPDATE genre_count SET active_count = active_count + CASE WHEN new.system_status = 'ACTIVE' THEN 1 ELSE -1 END
  WHERE genre_key IN (SELECT genre_key FROM anime_genre WHERE anime_id = new.id);
END;
--> statement-breakpoint
-- Memberships cannot outlive or precede their anime while foreign keys are enforced; these
-- two keep the counts exact even where they are not (deferred keys, a future bulk loader).
CREATE TRIGGER genre_count_anime_ai AFTER INSERT ON anime WHEN new.system_status = 'ACTIVE' BEGIN
  UPDATE genre_count SET active_count = active_count + 1
  WHERE genre_key IN (SELECT genre_key FROM anime_genre WHERE anime_id = new.id);
END;
--> statement-breakpoint
CREATE TRIGGER genre_count_anime_ad AFTER DELETE ON anime WHEN old.system_status = 'ACTIVE' BEGIN
  UPDATE genre_count SET active_count = active_count - 1
  WHERE genre_key IN (SELECT genre_key FROM anime_genre WHERE anime_id = old.id);
END;

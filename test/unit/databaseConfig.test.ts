import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config.ts";

describe("shared journal settings", () => {
  it("no DATABASE_URL keeps the SQLite journal; the schema defaults to gemba", () => {
    const c = loadConfig({ REDIS_URL: "redis://r:6379" });
    expect(c.databaseUrl).toBeNull();
    expect(c.databaseSchema).toBe("gemba");
  });

  it("takes a PostgreSQL URL with REDIS_URL and a schema of its own", () => {
    const c = loadConfig({
      REDIS_URL: "redis://r:6379",
      DATABASE_URL: "postgres://gemba@db.plant.lan:5432/gemba",
      DATABASE_SCHEMA: "site_a",
    });
    expect(c.databaseUrl).toBe("postgres://gemba@db.plant.lan:5432/gemba");
    expect(c.databaseSchema).toBe("site_a");
  });

  it("refuses a shared journal nobody would hear about, a URL that is not PostgreSQL and an unsafe schema name", () => {
    expect(() => loadConfig({ DATABASE_URL: "postgres://db/gemba" })).toThrow(
      /DATABASE_URL is for a cluster: set REDIS_URL too/,
    );
    expect(() => loadConfig({ REDIS_URL: "redis://r:6379", DATABASE_URL: "mysql://db/gemba" })).toThrow(
      /DATABASE_URL must look like postgres:\/\/user@host:5432\/database/,
    );
    expect(() =>
      loadConfig({ REDIS_URL: "redis://r:6379", DATABASE_URL: "postgres://db/g", DATABASE_SCHEMA: 'x"; DROP' }),
    ).toThrow(ConfigError);
  });
});

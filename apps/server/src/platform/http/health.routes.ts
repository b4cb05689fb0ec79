import { readMigrationFiles } from "drizzle-orm/migrator";
import { sql } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { MIGRATIONS_FOLDER } from "../../db/migrate.js";

/** node-postgres and PGlite both answer `{ rows }`. */
function appliedCount(result: unknown): number {
  const rows = (result as { rows?: Array<{ applied?: number }> }).rows ?? [];
  return Number(rows[0]?.applied ?? 0);
}

const checkOut = z.object({ ok: z.boolean(), detail: z.string().optional() });

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const expected = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).length;

  app.get(
    "/health",
    { schema: { tags: ["platform"], summary: "Liveness", response: { 200: z.object({ status: z.literal("ok") }) } } },
    () => ({ status: "ok" as const }),
  );

  app.get(
    "/ready",
    {
      schema: {
        tags: ["platform"],
        summary: "Readiness: database, Redis when configured, migrations applied",
        response: {
          200: z.object({ status: z.enum(["ready", "unavailable"]), checks: z.record(z.string(), checkOut) }),
          503: z.object({ status: z.enum(["ready", "unavailable"]), checks: z.record(z.string(), checkOut) }),
        },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, z.infer<typeof checkOut>> = {};
      try {
        const result: unknown = await services.database.db.execute(
          sql`select count(*)::int as applied from drizzle.__drizzle_migrations`,
        );
        const applied = appliedCount(result);
        checks.database = { ok: true };
        checks.migrations = applied >= expected ? { ok: true } : { ok: false, detail: `${applied} of ${expected} applied` };
      } catch {
        checks.database = { ok: false, detail: "unreachable" };
      }
      if (services.config.redis) checks.redis = (await services.ephemeral.ping()) ? { ok: true } : { ok: false, detail: "unreachable" };
      if (app.lifecycle.draining) checks.shutdown = { ok: false, detail: "shutting down" };
      const ok = Object.values(checks).every((check) => check.ok);
      return reply.code(ok ? 200 : 503).send({ status: ok ? "ready" : "unavailable", checks });
    },
  );
};



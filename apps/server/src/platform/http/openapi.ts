import { z } from "zod";

export const problemOut = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });

/** Documents the error answers of a route; all share the problem+json shape. */
export function problemResponses<const S extends readonly number[]>(...statuses: S): Record<S[number], typeof problemOut> {
  return Object.fromEntries(statuses.map((status) => [status, problemOut])) as Record<S[number], typeof problemOut>;
}

export const uuidParam = (name: string) => z.object({ [name]: z.uuid() });

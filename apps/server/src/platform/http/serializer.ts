import fastJson from "fast-json-stringify";
import type { FastifySerializerCompiler } from "fastify";
import { serializerCompiler as zodSerializerCompiler } from "fastify-type-provider-zod";
import { toJSONSchema, type ZodType } from "zod";

/**
 * A compiled writer for the responses of hot lists (a page of 20 tasks is
 * written hundreds of times a second). The global serializer checks each
 * response against its zod schema and then stringifies it, which costs more
 * than the page's query; here the same schema, as JSON Schema, is compiled
 * once by fast-json-stringify (Fastify's own serializer) into a function that
 * writes exactly the declared fields. What the schema does not name is left
 * out, as with zod, so an object never leaks a field by accident; the types
 * come from the service's own presenter, which TypeScript checks against the
 * schema.
 *
 * Only for plain data schemas (objects, arrays, enums, nullables, dates):
 * `compileResponse` refuses a schema with transforms or codecs, whose output
 * only zod can compute.
 */
/** Schemas whose output zod computes from the value: not for a compiled writer. */
const COMPUTED = new Set(["transform", "pipe", "custom", "lazy", "promise", "function"]);

export function compileResponse(schema: ZodType): (data: unknown) => string {
  const json = toJSONSchema(schema, {
    io: "output",
    unrepresentable: "any",
    override: (context) => {
      const { type } = context.zodSchema._zod.def;
      if (type === "date") Object.assign(context.jsonSchema, { type: "string", format: "date-time" });
      else if (COMPUTED.has(type))
        throw new Error(
          `compileResponse: a ${type} schema's output is computed by zod; use the zod serializer`,
        );
    },
  });
  delete json.$schema;
  return fastJson(json as Parameters<typeof fastJson>[0]);
}

/**
 * A route's serializer compiler: its 200 response through `compileResponse`,
 * any other status (problems) through the global zod serializer.
 */
export function fastListSerializer<S>(): FastifySerializerCompiler<S> {
  return (route) => {
    const schema = route.schema as unknown as ZodType;
    if (String(route.httpStatus) === "200") return compileResponse(schema);
    return zodSerializerCompiler({ ...route, schema });
  };
}

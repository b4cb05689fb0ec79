import { createPaymentInput, verifyPaymentInput } from "@cairn/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { getPayment, listAllPayments, listPayments, recordPayment, verifyPayment, withdrawPayment } from "./payments.service.js";
import { pageOf } from "../../platform/http/pagination.js";
import { paymentListQuery, paymentOut } from "./projects.schemas.js";

const idParams = z.object({ id: z.uuid() });

/** Registered under /api: payments live under their project and by their own id. */
export const paymentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["payments"];

  app.get(
    "/projects/:id/payments",
    {
      schema: {
        tags,
        summary: "Payments of a project (projects.view_financials)",
        security,
        params: idParams,
        response: { 200: z.object({ items: z.array(paymentOut) }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({ items: await withCtx(services, request, (ctx) => listPayments(ctx, request.params.id)) }),
  );

  app.post(
    "/projects/:id/payments",
    {
      schema: {
        tags,
        summary: "Record a payment (payments.add); it waits for a verifier",
        security,
        params: idParams,
        body: createPaymentInput,
        response: { 201: paymentOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => recordPayment(ctx, request.params.id, request.body))),
  );

  app.get(
    "/payments/:id",
    { schema: { tags, summary: "One payment (projects.view_financials)", security, params: idParams, response: { 200: paymentOut, ...problemResponses(401, 403, 404) } } },
    async (request) => withCtx(services, request, (ctx) => getPayment(ctx, request.params.id)),
  );

  app.post(
    "/payments/:id/verify",
    {
      schema: {
        tags,
        summary: "Approve or reject a pending payment (payments.verify; never one the caller recorded)",
        security,
        params: idParams,
        body: verifyPaymentInput,
        response: { 200: paymentOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => verifyPayment(ctx, request.params.id, request.body)),
  );

  app.get(
    "/payments",
    {
      schema: {
        tags,
        summary: "The payments the caller may see across projects, newest first (the verifier's queue is ?status=pending)",
        security,
        querystring: paymentListQuery,
        response: { 200: pageOf(paymentOut), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listAllPayments(ctx, request.query)),
  );

  app.delete(
    "/payments/:id",
    {
      schema: {
        tags,
        summary: "Withdraw a waiting payment (the person who recorded it); 409 once it is approved or rejected",
        security,
        params: idParams,
        response: { 204: z.null(), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => withdrawPayment(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );
};

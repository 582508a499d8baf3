// /v1/credit_notes: issued, edited and voided through their invoice's workflow (each is an update
// of the invoice), read from the credit_notes projection. Another account's answers 404.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import type { Database } from '../../db/connection';
import {
  creditNotesOf,
  findCreditNote,
  storedOf,
  type CreditNoteRow,
  type StoredCreditNote,
} from '../../db/repositories/credit-notes';
import { findInvoice } from '../../db/repositories/invoices';
import { draftCreditNote, type CreditNoteCommand } from '../../workflows/domain/credit-note';
import type { CreditNote } from '../../workflows/domain/credit-note-types';
import { invalidRequest, resourceMissing } from '../../workflows/domain/errors';
import { createIdFactory } from '../../workflows/domain/ids';
import { renderCreditNote, renderCreditNoteLine } from '../../workflows/domain/render/credit-note';
import { hostedPagePath } from '../../workflows/domain/render/invoice';
import type { InvoiceState } from '../../workflows/domain/types';
import { createCreditNote, updateCreditNote, voidCreditNote } from '../../workflows/messages';
import { inputOf, route } from '../stripe/handler';
import { applyRange, fetchPage, listObject } from '../stripe/list';
import { parseParams } from '../stripe/params';
import { updateInvoiceWorkflow } from '../../workflows/client/invoice-workflows';
import { nowSeconds } from './catalog-writes';
import {
  creditNoteCreateSchema,
  creditNoteLinesSchema,
  creditNoteListSchema,
  creditNotePreviewLinesSchema,
  creditNoteUpdateSchema,
  expandOnly,
  type CreditNoteCreateParams,
} from './credit-note-params';
import { mergeMetadata } from './customers';
import { callerOf, hostedLinkOf } from './invoice-view';

const RESOURCE = 'credit_note';

function commandOf(params: CreditNoteCreateParams): CreditNoteCommand {
  return {
    amount: params.amount,
    creditAmount: params.credit_amount,
    refundAmount: params.refund_amount,
    outOfBandAmount: params.out_of_band_amount,
    effectiveAt: params.effective_at,
    memo: params.memo,
    reason: params.reason,
    metadata: mergeMetadata({}, params.metadata ?? {}),
    lines: params.lines?.map((line) => ({
      type: line.type,
      invoiceLineItem: line.invoice_line_item,
      amount: line.amount,
      quantity: line.quantity,
      unitAmount: line.unit_amount,
      description: line.description,
      metadata: mergeMetadata({}, line.metadata ?? {}),
    })),
  };
}

async function present(db: Database, stored: StoredCreditNote, invoice?: InvoiceState | null) {
  const state = invoice === undefined ? await findInvoice(db, stored.accountId, stored.invoiceId) : invoice;
  const link = state ? await hostedLinkOf(db, state) : null;
  const pdf = link ? `${link.baseUrl.replace(/\/+$/, '')}${hostedPagePath(link.token)}/pdf` : '';
  return renderCreditNote(stored.note, { ...stored, pdf });
}

async function invoiceFor(db: Database, accountId: string, id: string): Promise<InvoiceState> {
  const state = await findInvoice(db, accountId, id);
  // Stripe names the parameter: the invoice is given in the body.
  if (!state) throw invalidRequest(`No such invoice: '${id}'`, 'resource_missing', 'invoice');
  return state;
}

// What a preview would issue: the same figures and refusals as create, nothing stored.
async function previewOf(
  db: Database,
  accountId: string,
  params: CreditNoteCreateParams,
): Promise<CreditNote> {
  const state = await invoiceFor(db, accountId, params.invoice);
  return draftCreditNote(state, commandOf(params), nowSeconds(), createIdFactory(Math.random));
}

function noteIn(state: InvoiceState, id: string): CreditNote {
  const note = state.creditNotes?.find((candidate) => candidate.id === id);
  if (!note) throw new Error(`credit note ${id} missing from invoice ${state.id}`);
  return note;
}

export function creditNoteRoutes({ db, temporal }: AppDeps): Router {
  const router = Router();

  async function requireStored(accountId: string, id: string): Promise<StoredCreditNote> {
    const stored = await findCreditNote(db, accountId, id);
    if (!stored) throw resourceMissing(RESOURCE, id);
    return stored;
  }

  router.post(
    '/credit_notes',
    route(async (ctx) => {
      const params = parseParams(creditNoteCreateSchema, ctx.body);
      const invoice = await invoiceFor(db, ctx.account.id, params.invoice);
      const state = await updateInvoiceWorkflow(temporal, invoice.id, createCreditNote, {
        ...callerOf(ctx),
        command: commandOf(params),
      });
      const note = (state.creditNotes ?? [])[(state.creditNotes?.length ?? 1) - 1] as CreditNote;
      return present(db, storedOf(state, note), state);
    }),
  );

  router.get(
    '/credit_notes/preview',
    route(async (ctx) => {
      const params = parseParams(creditNoteCreateSchema, inputOf(ctx));
      const state = await invoiceFor(db, ctx.account.id, params.invoice);
      return present(db, storedOf(state, await previewOf(db, ctx.account.id, params)), state);
    }),
  );

  router.get(
    '/credit_notes/preview/lines',
    route(async (ctx) => {
      const params = parseParams(creditNotePreviewLinesSchema, inputOf(ctx));
      const note = await previewOf(db, ctx.account.id, params);
      let lines = note.lines;
      if (params.starting_after !== undefined) {
        lines = lines.slice(lines.findIndex((line) => line.id === params.starting_after) + 1);
      }
      const limit = params.limit ?? 10;
      return listObject(
        '/v1/credit_notes/preview/lines',
        lines.slice(0, limit).map((line) => renderCreditNoteLine(line, false)),
        lines.length > limit,
      );
    }),
  );

  router.get(
    '/credit_notes/:id',
    route(async (ctx) => {
      parseParams(expandOnly, inputOf(ctx));
      return present(db, await requireStored(ctx.account.id, ctx.params.id));
    }),
  );

  router.get(
    '/credit_notes/:id/lines',
    route(async (ctx) => {
      const params = parseParams(creditNoteLinesSchema, inputOf(ctx));
      const stored = await requireStored(ctx.account.id, ctx.params.id);
      let lines = stored.note.lines;
      if (params.starting_after !== undefined) {
        lines = lines.slice(lines.findIndex((line) => line.id === params.starting_after) + 1);
      }
      const limit = params.limit ?? 10;
      return listObject(
        `/v1/credit_notes/${stored.note.id}/lines`,
        lines.slice(0, limit).map((line) => renderCreditNoteLine(line, stored.livemode)),
        lines.length > limit,
      );
    }),
  );

  router.post(
    '/credit_notes/:id',
    route(async (ctx) => {
      const params = parseParams(creditNoteUpdateSchema, ctx.body);
      const stored = await requireStored(ctx.account.id, ctx.params.id);
      const state = await updateInvoiceWorkflow(temporal, stored.invoiceId, updateCreditNote, {
        ...callerOf(ctx),
        change: {
          creditNoteId: stored.note.id,
          memo: params.memo,
          metadata:
            params.metadata !== undefined ? mergeMetadata(stored.note.metadata, params.metadata) : undefined,
        },
      });
      return present(db, storedOf(state, noteIn(state, stored.note.id)), state);
    }),
  );

  router.post(
    '/credit_notes/:id/void',
    route(async (ctx) => {
      parseParams(expandOnly, ctx.body);
      const stored = await requireStored(ctx.account.id, ctx.params.id);
      const state = await updateInvoiceWorkflow(temporal, stored.invoiceId, voidCreditNote, {
        ...callerOf(ctx),
        creditNoteId: stored.note.id,
      });
      return present(db, storedOf(state, noteIn(state, stored.note.id)), state);
    }),
  );

  router.get(
    '/credit_notes',
    route(async (ctx) => {
      const params = parseParams(creditNoteListSchema, inputOf(ctx));
      const base = applyRange(
        creditNotesOf(db, ctx.account.id, { invoice: params.invoice, customer: params.customer }),
        'created',
        params.created,
      );
      const page = await fetchPage<CreditNoteRow>(base, params, RESOURCE);
      const data = await Promise.all(page.rows.map((row) => present(db, row.data)));
      return listObject('/v1/credit_notes', data, page.hasMore);
    }),
  );

  return router;
}

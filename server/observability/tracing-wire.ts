// How ended spans cross from the serving thread to the export worker (tracing-export.ts →
// tracing-worker.ts): each span as a run of plain values appended to one flat array per
// batch, which postMessage copies far more cheaply than span objects (the SDK's spans hold
// their tracer, resource and limits). Only the fields OTLP's serialisers read are carried.
// Both sides import this file, so the layout is written once.
import { createTraceState, type Attributes, type HrTime, type Link, type SpanContext } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';

type InstrumentationScope = ReadableSpan['instrumentationScope'];

/** Values per span in a batch's flat array. */
const STRIDE = 20;

/** A link as it crosses: its context's trace state as text (a TraceState is a class). */
interface WireLink {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
  traceState?: string;
  attributes?: Attributes;
  droppedAttributesCount?: number;
}

/** One postMessage: the spans, and the instrumentation scopes first seen in this batch. */
export interface WireBatch {
  spans: unknown[];
  scopes: Array<[number, InstrumentationScope]>;
}

/** The serving thread's half: numbers each scope once, appends spans to the next batch. */
export class WireWriter {
  #scopes = new Map<InstrumentationScope, number>();
  #newScopes: Array<[number, InstrumentationScope]> = [];
  #spans: unknown[] = [];

  get size(): number {
    return this.#spans.length / STRIDE;
  }

  add(span: ReadableSpan): void {
    const ctx = span.spanContext();
    let scope = this.#scopes.get(span.instrumentationScope);
    if (scope === undefined) {
      scope = this.#scopes.size;
      this.#scopes.set(span.instrumentationScope, scope);
      const { name, version, schemaUrl } = span.instrumentationScope;
      this.#newScopes.push([scope, { name, version, schemaUrl }]);
    }
    const parent = span.parentSpanContext;
    this.#spans.push(
      ctx.traceId,
      ctx.spanId,
      ctx.traceFlags,
      ctx.traceState?.serialize(),
      parent?.spanId,
      parent?.isRemote,
      span.name,
      span.kind,
      span.startTime,
      span.endTime,
      span.attributes,
      span.status.code,
      span.status.message,
      span.events.length === 0 ? undefined : span.events,
      span.links.length === 0 ? undefined : span.links.map(wireLink),
      span.droppedAttributesCount,
      span.droppedEventsCount,
      span.droppedLinksCount,
      scope,
      span.duration,
    );
  }

  /** The batch so far, and a fresh one started. */
  take(): WireBatch {
    const batch = { spans: this.#spans, scopes: this.#newScopes };
    this.#spans = [];
    this.#newScopes = [];
    return batch;
  }
}

function wireLink(link: Link): WireLink {
  const { traceId, spanId, traceFlags, isRemote, traceState } = link.context;
  return {
    traceId,
    spanId,
    traceFlags,
    isRemote,
    traceState: traceState?.serialize(),
    attributes: link.attributes,
    droppedAttributesCount: link.droppedAttributesCount,
  };
}

function contextOf(traceId: string, spanId: string, traceFlags: number, traceState?: string, isRemote?: boolean): SpanContext {
  return { traceId, spanId, traceFlags, isRemote, traceState: traceState === undefined ? undefined : createTraceState(traceState) };
}

/** The worker's half: rebuilds the spans of a batch, with the process's resource. */
export class WireReader {
  #scopes: InstrumentationScope[] = [];
  readonly #resource: Resource;
  // No parameter properties: the worker runs this file with Node's own type stripping in the
  // fast tests, which takes erasable TypeScript only.
  constructor(resource: Resource) {
    this.#resource = resource;
  }

  read(batch: WireBatch): ReadableSpan[] {
    for (const [i, scope] of batch.scopes) this.#scopes[i] = scope;
    const s = batch.spans;
    const spans: ReadableSpan[] = [];
    for (let i = 0; i + STRIDE <= s.length; i += STRIDE) {
      const context = contextOf(s[i] as string, s[i + 1] as string, s[i + 2] as number, s[i + 3] as string | undefined);
      const parentId = s[i + 4] as string | undefined;
      const links = (s[i + 14] as WireLink[] | undefined) ?? [];
      spans.push({
        name: s[i + 6] as string,
        kind: s[i + 7] as number,
        spanContext: () => context,
        parentSpanContext:
          parentId === undefined
            ? undefined
            : contextOf(context.traceId, parentId, context.traceFlags, undefined, s[i + 5] as boolean | undefined),
        startTime: s[i + 8] as HrTime,
        endTime: s[i + 9] as HrTime,
        attributes: s[i + 10] as Attributes,
        status: { code: s[i + 11] as number, message: s[i + 12] as string | undefined },
        events: (s[i + 13] as TimedEvent[] | undefined) ?? [],
        links: links.map((l) => ({
          context: contextOf(l.traceId, l.spanId, l.traceFlags, l.traceState, l.isRemote),
          attributes: l.attributes,
          droppedAttributesCount: l.droppedAttributesCount,
        })),
        droppedAttributesCount: s[i + 15] as number,
        droppedEventsCount: s[i + 16] as number,
        droppedLinksCount: s[i + 17] as number,
        instrumentationScope: this.#scopes[s[i + 18] as number] ?? { name: 'unknown' },
        duration: s[i + 19] as HrTime,
        ended: true,
        resource: this.#resource,
      });
    }
    return spans;
  }
}

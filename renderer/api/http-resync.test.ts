// The event stream can drop (a tunnel blip, a laptop waking): EventSource reconnects by itself
// but replays nothing, so an update sent meanwhile — a collector's final `complete` — was lost and
// the live badge stayed up. On a reconnect the client asks for the stores again and reports those
// that changed since what it last delivered.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OpenStore } from '../../shared/api.ts';
import type { ApiEvent } from '../../shared/events.ts';
import type { Manifest } from '../../shared/manifest.ts';
import { createHttpClient } from './http.ts';

class FakeSource {
  static last: FakeSource | null = null;
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  constructor() {
    FakeSource.last = this;
  }
  close() {}
}

const store = (updated: string, status: Manifest['status']): OpenStore =>
  ({ id: 's1', name: 'job', path: '/x', manifest: { updated_at: updated, status } }) as unknown as OpenStore;

/** A client whose host answers listStores with `listed()`; the events it delivers, and its stream. */
function connect(listed: () => OpenStore[]) {
  vi.stubGlobal('EventSource', FakeSource);
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () => new Response(JSON.stringify(listed()), { headers: { 'content-type': 'application/json' } }),
    ),
  );
  const client = createHttpClient('http://127.0.0.1:5199');
  const got: ApiEvent[] = [];
  client.subscribe((e) => got.push(e));
  return { client, got, es: FakeSource.last! };
}

describe('HTTP client event stream', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('after a reconnect, reports the stores that changed while it was down (and only those)', async () => {
    let listed: OpenStore[] = [];
    const { got, es } = connect(() => listed);
    es.onopen?.();
    const live = store('2026-12-04T10:00:00.000Z', 'collecting');
    es.onmessage?.({
      data: JSON.stringify({
        type: 'store-updated',
        storeId: 's1',
        manifest: live.manifest,
        added: [],
        removed: [],
      }),
    });
    expect(got).toHaveLength(1);

    // Dropped, and back: nothing changed meanwhile → nothing new to report.
    listed = [live];
    es.onopen?.();
    await vi.waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalledTimes(2)); // first connect, then this
    await new Promise((r) => setTimeout(r, 10));
    expect(got).toHaveLength(1);

    // Dropped while the collector finished: the complete manifest arrives after the reconnect.
    listed = [store('2026-12-04T10:00:01.000Z', 'complete')];
    es.onopen?.();
    await vi.waitFor(() => expect(got).toHaveLength(2));
    expect(got[1]).toMatchObject({ type: 'store-updated', storeId: 's1', manifest: { status: 'complete' } });
  });

  it('never reports an older manifest than one the stream delivered while the resync was asked', async () => {
    // The resync's listStores is answered with what the host had when it asked; the collector's
    // final `complete` can reach the stream first. Reporting the listed manifest then would put the
    // store back to `collecting` for good (the live badge up after the collector ended).
    let answer: (r: Response) => void = () => {};
    vi.stubGlobal('EventSource', FakeSource);
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise<Response>((r) => (answer = r))),
    );
    const client = createHttpClient('http://127.0.0.1:5199');
    const got: ApiEvent[] = [];
    client.subscribe((e) => got.push(e));
    const es = FakeSource.last!;
    es.onopen?.();
    const event = (o: OpenStore) =>
      es.onmessage?.({
        data: JSON.stringify({
          type: 'store-updated',
          storeId: 's1',
          manifest: o.manifest,
          added: [],
          removed: [],
        }),
      });
    event(store('2026-12-04T12:00:00.000Z', 'collecting'));
    es.onopen?.(); // reconnected: the resync asks (the first connect's ask is never answered here)
    await vi.waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalledTimes(2));
    const older = store('2026-12-04T12:00:01.000Z', 'collecting');
    event(store('2026-12-04T12:00:02.000Z', 'complete')); // the final write, on the stream first
    answer(new Response(JSON.stringify([older]), { headers: { 'content-type': 'application/json' } }));
    await new Promise((r) => setTimeout(r, 20));
    expect(got.map((e) => (e.type === 'store-updated' ? e.manifest.status : e.type))).toEqual([
      'collecting',
      'complete',
    ]);
  });

  it('counts a store it was told of by asking as seen: an unchanged one is not reported again', async () => {
    const opened = store('2026-12-04T11:00:00.000Z', 'complete');
    const { client, got, es } = connect(() => [opened]);
    expect(await client.listStores({})).toHaveLength(1);
    es.onopen?.();
    es.onopen?.(); // a reconnect
    await vi.waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalledTimes(3));
    await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([]);
  });

  it('on its first connect too, reports a store that changed after the page listed it', async () => {
    // The page lists the stores while the stream is still connecting: an update the host sent in
    // between reached no stream (a collector's final write: "1,008 rows" with the live badge up).
    let listed = [store('2026-12-04T13:00:00.000Z', 'collecting')];
    const { client, got, es } = connect(() => listed);
    expect(await client.listStores({})).toHaveLength(1);
    listed = [store('2026-12-04T13:00:00.300Z', 'complete')]; // written before the stream opened
    es.onopen?.();
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect(got[0]).toMatchObject({ type: 'store-updated', storeId: 's1', manifest: { status: 'complete' } });
  });

  it('reports a change that kept updated_at (a store last written by an older collector)', async () => {
    let listed = [store('2026-12-04T14:00:00.000Z', 'collecting')];
    const { client, got, es } = connect(() => listed);
    expect(await client.listStores({})).toHaveLength(1);
    es.onopen?.();
    await vi.waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalledTimes(2));
    await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([]); // unchanged: nothing to report
    listed = [store('2026-12-04T14:00:00.000Z', 'complete')]; // same stamp, status-only rewrite
    es.onopen?.();
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect(got[0]).toMatchObject({ type: 'store-updated', manifest: { status: 'complete' } });
  });
});

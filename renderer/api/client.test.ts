import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiEnvelope, PreloadBridge } from '../../shared/api.ts';
import type { ApiEvent } from '../../shared/events.ts';
import { ApiError } from './build.ts';
import { createHttpClient } from './http.ts';
import { createIpcClient } from './ipc.ts';

describe('IPC client', () => {
  it('unwraps envelopes, raises ApiError, builds losslens:// shard URLs', async () => {
    const listeners: ((e: ApiEvent) => void)[] = [];
    const bridge: PreloadBridge = {
      pathForFile: () => '',
      invoke: async (method) =>
        (method === 'listStores'
          ? { ok: true, value: [] }
          : { ok: false, error: { message: 'no such store', code: 'not-found' } }) as ApiEnvelope<never>,
      onEvent: (l) => {
        listeners.push(l);
        return () => {};
      },
    };
    const client = createIpcClient(bridge);
    expect(await client.listStores({})).toEqual([]);
    await expect(client.closeStore({ storeId: 'ab' })).rejects.toBeInstanceOf(ApiError);
    expect(client.shardUrl('ab12', 'shards/part-a b-1.parquet')).toBe(
      'losslens://app/store/ab12/shards/part-a%20b-1.parquet',
    );
    const seen: ApiEvent[] = [];
    client.subscribe((e) => seen.push(e));
    listeners[0]?.({ type: 'store-closed', storeId: 'ab' });
    expect(seen).toHaveLength(1);
  });
});

describe('HTTP client', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('POSTs JSON to /api/<method> and maps error bodies', async () => {
    const fetchMock = vi.fn(async (url: string, init: RequestInit) => {
      if (url === '/api/openStore') {
        expect(JSON.parse(init.body as string)).toEqual({ path: '/x' });
        return new Response(JSON.stringify({ error: { message: 'not a store', code: 'bad-request' } }), {
          status: 400,
        });
      }
      return new Response(JSON.stringify({ transport: 'http', version: '1', crossOriginIsolation: true }));
    });
    vi.stubGlobal('fetch', fetchMock);
    const client = createHttpClient('http://127.0.0.1:5199');
    expect((await client.hostInfo({})).transport).toBe('http');
    await expect(client.openStore({ path: '/x' })).rejects.toMatchObject({
      message: 'not a store',
      code: 'bad-request',
    });
    expect(client.shardUrl('ab', 'shards/p-1.parquet')).toBe(
      'http://127.0.0.1:5199/store/ab/shards/p-1.parquet',
    );
  });
});

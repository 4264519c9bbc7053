// The preload with `electron` mocked: what reaches the page is three functions, and no Electron
// object (the IPC event, ipcRenderer itself) ever does.
import { describe, expect, it, vi } from 'vitest';
import type { PreloadBridge } from '../shared/api.ts';
import { IPC_CHANNEL } from '../shared/channels.ts';

const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as unknown[][],
  listeners: new Map<string, Set<(...a: unknown[]) => void>>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => fake.exposed.set(name, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      fake.invoked.push(args);
      return { ok: true, value: [] };
    },
    on: (channel: string, fn: (...a: unknown[]) => void) => {
      if (!fake.listeners.has(channel)) fake.listeners.set(channel, new Set());
      fake.listeners.get(channel)!.add(fn);
    },
    removeListener: (channel: string, fn: (...a: unknown[]) => void) =>
      fake.listeners.get(channel)?.delete(fn),
  },
  webUtils: { getPathForFile: (f: { name: string }) => `/dropped/${f.name}` },
}));

describe('preload bridge (electron mocked)', () => {
  it('exposes only invoke, onEvent and pathForFile as window.losslens', async () => {
    await import('./preload.ts');
    expect([...fake.exposed.keys()]).toEqual(['losslens']);
    const bridge = fake.exposed.get('losslens') as PreloadBridge;
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent', 'pathForFile']);
    expect(await bridge.invoke('listStores', {})).toEqual({ ok: true, value: [] });
    expect(fake.invoked).toEqual([[IPC_CHANNEL.invoke, 'listStores', {}]]);
    expect(bridge.pathForFile({ name: 'store' } as File)).toBe('/dropped/store');
  });

  it('hands listeners the event payload only, never the IPC event, and unsubscribes', async () => {
    await import('./preload.ts');
    const bridge = fake.exposed.get('losslens') as PreloadBridge;
    const seen: unknown[][] = [];
    const off = bridge.onEvent((...args: unknown[]) => seen.push(args));
    const ipcEvent = { sender: { send: () => {} }, ports: [] };
    const payload = { type: 'store-closed', storeId: 'ab' };
    for (const l of fake.listeners.get(IPC_CHANNEL.event) ?? []) l(ipcEvent, payload);
    expect(seen).toEqual([[payload]]);
    off();
    expect(fake.listeners.get(IPC_CHANNEL.event)?.size).toBe(0);
  });
});

// The Electron transport: calls go through the preload bridge (`window.losslens`), shard bytes
// come from the custom `losslens://` protocol.
import {
  API_METHODS,
  type ApiClient,
  type ApiMethod,
  type ApiRequest,
  type ApiResult,
  ELECTRON_SHARD_PREFIX,
  type PreloadBridge,
  shardRoute,
} from '../../shared/api.ts';
import { ApiError, buildClient } from './build.ts';

export function createIpcClient(bridge: PreloadBridge): ApiClient {
  const call = async <M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResult<M>> => {
    const envelope = await bridge.invoke(method, req);
    if (envelope.ok) return envelope.value;
    throw new ApiError(envelope.error.message, envelope.error.code);
  };
  return buildClient(API_METHODS, call, {
    subscribe: (listener) => bridge.onEvent(listener),
    shardUrl: (storeId, shardPath) => ELECTRON_SHARD_PREFIX + shardRoute(storeId, shardPath),
  });
}

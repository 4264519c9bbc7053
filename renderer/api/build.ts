// Turns one generic `call(method, req)` into the typed ApiClient, so each transport only writes
// how a single request travels.
import type { Api, ApiClient, ApiErrorBody, ApiMethod, ApiRequest, ApiResult } from '../../shared/api.ts';

export type ApiErrorCode = ApiErrorBody['error']['code'];

/** A host-side failure; `message` is meant for the user. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: ApiErrorCode,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Call = <M extends ApiMethod>(method: M, req: ApiRequest<M>) => Promise<ApiResult<M>>;

export function buildClient(
  methods: readonly ApiMethod[],
  call: Call,
  rest: Pick<ApiClient, 'subscribe' | 'shardUrl'>,
): ApiClient {
  const api: Partial<Record<ApiMethod, unknown>> = {};
  for (const m of methods) api[m] = (req: ApiRequest<typeof m>) => call(m, req);
  return { ...(api as Api), ...rest };
}

import type { FuseConfig, FuseState } from '@electron/fuses';

export function fuseConfig(options: { packaged: boolean }): FuseConfig;
export function applyFuses(binary: string, options: { packaged: boolean }): Promise<FuseConfig<FuseState>>;

/** Written into store.json so a store tells which collector made it. */
export const COLLECTOR_VERSION = '0.1.0';

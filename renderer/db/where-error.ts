// Moved to shared/ so the host's export reports a bad filter exactly as the window does.
export * from '../../shared/where-error.ts';

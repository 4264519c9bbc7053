// Moved to shared/ so the host's export validates a filter exactly as the window does.
export * from '../../shared/where-text.ts';

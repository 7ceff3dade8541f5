import type { Command } from 'commander';

/** `padan generate` and `padan demo`; wired once the synthetic generator lands. */
export function registerSynthCommands(_program: Command): void {}

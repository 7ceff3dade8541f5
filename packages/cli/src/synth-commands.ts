import type { Command } from 'commander';
import type { runCommand } from './main.js';

/** `padan generate` and `padan demo`; wired once the synthetic generator lands. */
export function registerSynthCommands(_program: Command, _deps: { runCommand: typeof runCommand }): void {}

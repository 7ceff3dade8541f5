import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The Lua scripts of the Redis adapter, kept as `.lua` files in `src/redis/lua` so they can be read,
 * linted and diffed as Lua. They are read from the package's `src` at run time, relative to this
 * module: `dist/redis/` and `src/redis/` sit at the same depth, so one path works when the compiled
 * module runs and when vitest runs the source (tsc does not copy `.lua` files to `dist`).
 */
const LUA_DIR = new URL('../../src/redis/lua/', import.meta.url);

/** Script name → its file and the helpers it needs (prepended, e.g. `less` for locale-free order). */
const FILES = {
  padanMatchAddDtks: { file: 'add-dtks.lua', helpers: ['blob.lua'] },
  padanMatchAddOccurrences: { file: 'add-occurrences.lua', helpers: ['less.lua', 'tokens.lua', 'blob.lua', 'token-table.lua'] },
  padanMatchAddFamilyMembers: { file: 'add-family-members.lua', helpers: ['less.lua', 'tokens.lua', 'blob.lua', 'token-table.lua'] },
  padanMatchTokenValues: { file: 'token-values.lua', helpers: ['tokens.lua', 'blob.lua', 'token-table.lua'] },
  padanMatchSeen: { file: 'mark-seen.lua', helpers: ['blob.lua'] },
  padanMatchAddHouseholds: { file: 'add-households.lua', helpers: ['blob.lua'] },
  padanMatchAddBirthDates: { file: 'add-birth-dates.lua', helpers: ['blob.lua', 'nik-number.lua'] },
  padanMatchBirthDates: { file: 'birth-dates.lua', helpers: ['blob.lua'] },
  padanMatchHmgetMany: { file: 'hmget-many.lua', helpers: ['blob.lua'] },
  padanMatchHsetMany: { file: 'hset-many.lua', helpers: ['blob.lua'] },
  padanMatchFileIds: { file: 'file-ids.lua', helpers: [] },
  padanMatchHold: { file: 'hold.lua', helpers: [] },
  padanMatchPeekHeld: { file: 'peek-held.lua', helpers: [] },
  padanMatchAckHeld: { file: 'ack-held.lua', helpers: [] },
} as const satisfies Record<string, { file: string; helpers: readonly string[] }>;

export type ScriptName = keyof typeof FILES;

function read(file: string): string {
  const url = new URL(file, LUA_DIR);
  try {
    return readFileSync(url, 'utf8');
  } catch (err) {
    throw new Error(
      `RedisMatchState: cannot read its Lua script ${fileURLToPath(url)} (${(err as Error).message}); ` +
        'the package must ship src/redis/lua beside dist (see packages/match-state/package.json "files")',
      { cause: err },
    );
  }
}

let loaded: Record<ScriptName, string> | undefined;

/** The scripts' source, read once per process. */
export function luaScripts(): Readonly<Record<ScriptName, string>> {
  if (loaded === undefined) {
    const out = {} as Record<ScriptName, string>;
    for (const [name, { file, helpers }] of Object.entries(FILES) as [ScriptName, (typeof FILES)[ScriptName]][]) {
      out[name] = helpers.map(read).join('\n') + read(file);
    }
    loaded = out;
  }
  return loaded;
}

import type { DtksPerson } from '@padan/core';
import { FILE_TOKEN as TOKEN } from '../codec/file-token.js';
import type { NameIds } from '../codec/name-ids.js';

/**
 * Short ids for the DTKS file names of a release: a packed person stores `U+0001<id>` (2–3 bytes)
 * instead of a name such as `dtks-jambi-2021-09.csv` (22 bytes) in every DTKS row. Ids are assigned
 * once per release by a script in Redis (`R files`, see file-ids.lua), so every match instance
 * reads the same names; each instance caches both directions and reloads the table on a miss.
 * The release's table holds the household ids' heads too (`DTKS`, see person-bytes.ts): an id
 * names a string, whether a file or a head, so the two share the table. The evidence of a period
 * has a table of its own (`E names`): program files (`b:<source>/<file>`), run ids (`r:<run id>`)
 * and household heads (`h:<head>`) of the base results.
 */
export class FileTable {
  private readonly tokenOf = new Map<string, string>();
  private readonly nameOf = new Map<string, string>();

  constructor(
    /** Assigns (or reads) the ids of names in the release of a period, in order. */
    private readonly assign: (period: string, names: readonly string[]) => Promise<string[]>,
    /** The release's whole table: id → name. */
    private readonly load: (period: string) => Promise<Map<string, string>>,
  ) {}

  /** Makes sure every name has its token (one round trip if any is new to this instance). */
  async ensureTokens(period: string, names: Iterable<string>): Promise<void> {
    const missing = [...new Set(names)].filter((n) => !this.tokenOf.has(`${period}\n${n}`));
    if (missing.length === 0) return;
    const ids = await this.assign(period, missing);
    missing.forEach((name, i) => this.remember(period, String(ids[i]), name));
  }

  /** Makes sure every stored token has its name (reloads the table if one is unknown). */
  async ensureNames(period: string, tokens: Iterable<string>): Promise<void> {
    for (const t of tokens) {
      if (!t.startsWith(TOKEN) || this.nameOf.has(`${period}\n${t}`)) continue;
      for (const [id, name] of await this.load(period)) this.remember(period, id, name);
      return;
    }
  }

  /** Learns the ids of names this instance does not know that another instance assigned (one reload if any is unknown); assigns none. */
  async ensureKnown(period: string, names: Iterable<string>): Promise<void> {
    for (const n of names) {
      if (this.tokenOf.has(`${period}\n${n}`)) continue;
      for (const [id, name] of await this.load(period)) this.remember(period, id, name);
      return;
    }
  }

  /** The id of a name (ensureTokens or ensureKnown first); undefined when the period has none. */
  idOf(period: string, name: string): string | undefined {
    return this.tokenOf.get(`${period}\n${name}`)?.slice(TOKEN.length);
  }

  /** The name of an id (ensureNames of its token first). */
  nameOfId(period: string, id: string): string | undefined {
    return this.nameOf.get(`${period}\n${TOKEN}${id}`);
  }

  /**
   * The period's table as the codec reads it (NameIds), its names under `prefix` (ensureTokens or
   * ensureNames first: an id this instance has not loaded is unknown to it).
   */
  ids(period: string, prefix = ''): NameIds {
    return {
      idOf: (name) => {
        const id = this.idOf(period, prefix + name);
        return id === undefined ? undefined : Number(id);
      },
      nameOf: (id) => {
        const name = this.nameOfId(period, String(id));
        return name?.startsWith(prefix) ? name.slice(prefix.length) : undefined;
      },
    };
  }

  /** The token of an id, for ensureNames. */
  static token(id: string): string {
    return TOKEN + id;
  }

  /** The person as stored: its file as a token (ensureTokens first). */
  stored(period: string, p: DtksPerson): DtksPerson {
    return { ...p, file: this.fileToken(period, p.file) };
  }

  /** The token of a file of the period (ensureTokens first). */
  fileToken(period: string, file: string): string {
    const token = this.tokenOf.get(`${period}\n${file}`);
    if (token === undefined) throw new Error(`RedisMatchState: no file id for a DTKS file of period ${period} (internal error: ensureTokens first)`);
    return token;
  }

  /** The person as read: its file name again (ensureNames first). */
  real(period: string, p: DtksPerson): DtksPerson {
    if (!p.file.startsWith(TOKEN)) return p;
    const name = this.nameOf.get(`${period}\n${p.file}`);
    if (name === undefined) {
      throw new Error(`RedisMatchState: DTKS file id ${p.file.slice(1)} of period ${period} is not in the release's file table; the state is inconsistent: rebuild it`);
    }
    return { ...p, file: name };
  }

  private remember(period: string, id: string, name: string): void {
    this.tokenOf.set(`${period}\n${name}`, TOKEN + id);
    this.nameOf.set(`${period}\n${TOKEN}${id}`, name);
  }
}

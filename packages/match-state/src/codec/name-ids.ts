/**
 * A name table's ids as the codec reads and writes them, synchronously: a packed value can hold a
 * short id where a repeated text stood (the head `DTKS` of a household id `DTKS158051792253`).
 * The Redis adapter's tables (redis/file-table.ts) are assigned by a script, so every match
 * instance reads the same ids; an id another instance assigned since this one last loaded the
 * table is not known yet, and decoding it throws UnknownNameId: the caller reloads and decodes again.
 */
export interface NameIds {
  /** The id of a name; undefined when the table has none (the codec then writes the text). */
  idOf(name: string): number | undefined;
  /** The name of an id; undefined when this copy of the table does not hold it. */
  nameOf(id: number): string | undefined;
}

export class UnknownNameId extends Error {
  constructor(readonly id: number) {
    super(`a packed value names id ${id}, which its name table does not hold: the state is inconsistent (rebuild it)`);
    this.name = 'UnknownNameId';
  }
}

/** The name of `id` in `ids`, or UnknownNameId (also when no table is given). */
export function nameOfId(ids: NameIds | undefined, id: number): string {
  const name = ids?.nameOf(id);
  if (name === undefined) throw new UnknownNameId(id);
  return name;
}

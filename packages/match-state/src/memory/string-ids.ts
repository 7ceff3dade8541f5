/**
 * Small integer ids for the few distinct texts many rows repeat (file names, regency codes): a
 * column then holds the id, and the text exists once.
 */
export class StringIds {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];

  idOf(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.texts.length;
      // A flat copy: the text may be a slice of a whole line (see detach.ts).
      const flat = Buffer.from(s, 'utf8').toString('utf8');
      this.texts.push(flat);
      this.ids.set(flat, id);
    }
    return id;
  }

  /** The id of `s` when it has one, else -1 (a lookup never adds). */
  find(s: string): number {
    return this.ids.get(s) ?? -1;
  }

  text(id: number): string {
    return this.texts[id] as string;
  }
}

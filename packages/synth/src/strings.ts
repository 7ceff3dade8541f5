/**
 * String storage helpers. V8 keeps a concatenated string as a tree of its pieces (a "cons
 * string"), about twice the memory of the flat text; with a million NIKs and names held at once
 * that matters. `flat` copies ASCII text into one flat string; `intern` keeps one copy of each
 * distinct name (there are only tens of thousands of distinct names among a million people).
 */

const ASCII = /^[\x00-\x7f]*$/;

export function flat(s: string): string {
  return ASCII.test(s) ? Buffer.from(s, 'latin1').toString('latin1') : s;
}

export class Interner {
  private readonly table = new Map<string, string>();

  intern(s: string): string {
    let got = this.table.get(s);
    if (got === undefined) {
      got = flat(s);
      this.table.set(got, got);
    }
    return got;
  }

  get size(): number {
    return this.table.size;
  }
}

import type { SaxesParser } from 'saxes';
import type { ReaderLimits } from './reader-limits.js';
import { XlsxFormatError } from './xlsx-format-error.js';

/** What saxes holds while a token is open (its private fields, stable across saxes 6). */
interface SaxesBuffers {
  text?: string;
  name?: string;
  entity?: string;
  piTarget?: string;
  attribList?: unknown[];
  tags?: unknown[];
}

/** Elements of a worksheet nest about 7 deep (worksheet, sheetData, row, c, is, r, t). */
const MAX_DEPTH = 256;
/** A row or cell carries fewer than ten attributes; a root a few dozen namespace declarations. */
const MAX_ATTRIBUTES = 10_000;

/**
 * saxes gathers a token (a text node, a comment, a CDATA section, an attribute value, a name) or a
 * tag's attributes in memory until it ends, however long it is: a part of a few megabytes inflated
 * under the ratio limit can still hold a single token of hundreds of megabytes. Checked after
 * every chunk written to the parser, so a token can outgrow the bound by one chunk at most.
 * Tokens up to 4× the line limit pass: a cell text between 1× and 4× becomes its row's dead letter
 * (LINE_TOO_LONG); beyond that the part cannot be a workbook Excel wrote (32 767 characters per cell).
 */
export function assertXmlBounds(parser: SaxesParser, part: string, file: string, limits: ReaderLimits): void {
  const b = parser as unknown as SaxesBuffers;
  const token = (b.text?.length ?? 0) + (b.name?.length ?? 0) + (b.entity?.length ?? 0) + (b.piTarget?.length ?? 0);
  const maxToken = 4 * limits.maxLineBytes;
  if (token > maxToken) {
    throw new XlsxFormatError(
      file,
      `part ${part} holds a text or markup token longer than ${maxToken} characters (4 × PADAN_MAX_LINE_BYTES; Excel's cell limit is 32 767): not a workbook Excel writes; re-save it from Excel or export CSV`,
      { rule: 'XLSX_TOKEN_SIZE' },
    );
  }
  if ((b.attribList?.length ?? 0) > MAX_ATTRIBUTES || (b.tags?.length ?? 0) > MAX_DEPTH) {
    throw new XlsxFormatError(
      file,
      `part ${part} nests elements deeper than ${MAX_DEPTH} or gives one element more than ${MAX_ATTRIBUTES} attributes: not a workbook Excel writes; re-save it from Excel or export CSV`,
      { rule: 'XLSX_TOKEN_SIZE' },
    );
  }
}

import { Parser, fromFile } from '@asyncapi/parser';
const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, '/work/wt-contracts/contracts/asyncapi.yaml').parse();
for (const d of diagnostics) console.log(d.severity, d.code, d.message, JSON.stringify(d.path));
console.log('doc', !!document, document?.channels().length);
const ch = document.channels().get('mismatches');
const m = ch.messages().all()[0];
console.log(m.payload()?.type(), Object.keys(m.payload()?.properties() ?? {}));

// Copied from ../shared/bench/duckdb_baseline.mjs (the issue 7 batch peer; source: /work/shared/bench),
// with its rules unchanged. Adapted, as its header allows, only in file names, column names and
// reader options, to the files `padan generate --seed 1 --formats mixed` writes (see
// bench/duckdb-probe-notes.md): DTKS `;` with a title line and a blank line above the header, quoted
// multi-line ALAMAT; SEMBAKO is the CSV program (header on line 3), BST is JSON Lines, PBI is CSV
// (the original read PKH.csv, BST.csv, PBI.jsonl); PKH is the XLSX program, skipped. Reader options
// the run fails without: skip, quote/escape, delim, ignore_errors, 'NULL' for a missing column. Two
// output-only additions, so the benchmark can score it by (program, NIK, reason) like padan: the
// `nik` column in the findings, and `ORDER BY` nothing else. Instance options: 2 threads, no
// extension auto-install/-load (offline).
// Usage: node duckdb_baseline.mjs DTKS.csv SEMBAKO.csv BST.jsonl PBI.csv OUT.csv   (prints one JSON line)
// Original header follows.
//
// The batch peer for `pnpm bench`: the SQL a data engineer would write in DuckDB over one month's files,
// with the obvious rules (digits-only NIK, exact join, Jaro-Winkler < 0.8 as a name mismatch, window
// functions for duplicates and conflicts). Keep its rules as they are; adapt only the file names and
// column names in the CREATE TABLE statements to the files the benchmark generates. It skips the XLSX
// program: DuckDB's excel extension cannot be installed offline. Its rows/s counts the rows it read.
import { DuckDBInstance } from '@duckdb/node-api';
const [dtksCsv, sembakoCsv, bstJsonl, pbiCsv, out] = process.argv.slice(2);
const t0 = performance.now();
const db = await DuckDBInstance.create(':memory:', { threads: '2', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
const c = await db.connect();
const dob = (col) => `coalesce(try_strptime(${col}, '%d-%m-%Y'), try_strptime(${col}, '%Y-%m-%d'), try_strptime(${col}, '%d/%m/%Y'))::DATE`;
const digits = (col) => `regexp_replace(${col}, '[^0-9]', '', 'g')`;
await c.run(`CREATE TABLE dtks AS SELECT row_number() OVER () AS source_row, ${digits('NIK_KTP')} AS nik, ID_DTKS AS hh,
  upper(NAMA) AS nama, ${dob('TGL_LAHIR')} AS dob, substr(${digits('KODE_DESA')}, 1, 4) AS reg, STATUS AS status
  FROM read_csv('${dtksCsv}', delim=';', header=true, all_varchar=true, skip=2, quote='"', escape='"', ignore_errors=true)`);
const prog = (name, src, nik, nama, d, wil, kk) => `SELECT '${name}' AS program, row_number() OVER () AS source_row,
  ${digits(nik)} AS nik, upper(${nama}) AS nama, ${dob(d)} AS dob, substr(${digits(wil)}, 1, 4) AS reg, ${kk} AS kk FROM ${src}`;
await c.run(`CREATE TABLE recs AS
  ${prog('SEMBAKO', `read_csv('${sembakoCsv}', delim=',', skip=2, header=true, all_varchar=true, ignore_errors=true)`, 'NIK', 'NAMA_KPM', 'TANGGAL_LAHIR', 'KD_WILAYAH', 'NOMOR_KK')}
  UNION ALL ${prog('BST', `read_json('${bstJsonl}', format='newline_delimited', ignore_errors=true, columns={NIK:'VARCHAR',NAMA_PENERIMA:'VARCHAR',NO_KK:'VARCHAR',KODE_WILAYAH:'VARCHAR',TAHAP:'VARCHAR'})`, 'NIK', 'NAMA_PENERIMA', 'NULL', 'KODE_WILAYAH', 'NO_KK')}
  UNION ALL ${prog('PBI', `read_csv('${pbiCsv}', delim=',', header=true, all_varchar=true, ignore_errors=true)`, 'NIK', 'NAMA_LENGKAP', 'TANGGAL_LAHIR', 'KODE_WILAYAH', 'NO_KK')}`);
await c.run(`CREATE TABLE findings AS
  WITH d1 AS (SELECT DISTINCT ON (nik) * FROM dtks),
  j AS (SELECT r.*, d.nik IS NOT NULL AS found, d.status, d.reg AS dreg, d.dob AS ddob, d.hh,
          jaro_winkler_similarity(r.nama, d.nama) AS jw,
          row_number() OVER (PARTITION BY r.program, r.nik ORDER BY r.source_row) AS occ
        FROM recs r LEFT JOIN d1 d USING (nik)),
  fam AS (SELECT DISTINCT coalesce(hh, kk) AS fam FROM j WHERE program IN ('PKH', 'SEMBAKO')),
  f AS (SELECT program, source_row, nik, concat_ws(';',
          CASE WHEN length(nik) <> 16 THEN 'INVALID_NIK' END,
          CASE WHEN length(nik) = 16 AND NOT found THEN 'NOT_IN_DTKS' END,
          CASE WHEN found AND jw < 0.8 THEN 'NAME_MISMATCH' END,
          CASE WHEN found AND dob <> ddob THEN 'BIRTHDATE_MISMATCH' END,
          CASE WHEN found AND reg <> dreg THEN 'REGION_MISMATCH' END,
          CASE WHEN found AND status = 'MENINGGAL' THEN 'DECEASED' END,
          CASE WHEN occ > 1 THEN 'DUPLICATE_IN_PROGRAM' END,
          CASE WHEN program = 'BST' AND coalesce(hh, kk) IN (SELECT fam FROM fam) THEN 'PROGRAM_CONFLICT' END) AS reasons
        FROM j),
  dd AS (SELECT 'DTKS' AS program, source_row, nik, concat_ws(';',
          CASE WHEN length(nik) <> 16 THEN 'INVALID_NIK' END,
          CASE WHEN count(*) OVER (PARTITION BY nik) > 1 THEN 'DUPLICATE_IN_DTKS' END) AS reasons FROM dtks)
  SELECT * FROM f WHERE reasons <> '' UNION ALL SELECT * FROM dd WHERE reasons <> ''`);
await c.run(`COPY (SELECT program, source_row, nik, reasons, '' AS suggested_nik FROM findings ORDER BY program, source_row) TO '${out}' (HEADER, DELIMITER ',')`);
const rows = (await c.runAndReadAll(`SELECT (SELECT count(*) FROM recs) + (SELECT count(*) FROM dtks) AS n, (SELECT count(*) FROM findings) AS f`)).getRowObjects()[0];
const secs = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds: +secs.toFixed(3), rows: Number(rows.n), rows_per_s: Math.round(Number(rows.n) / secs), findings: Number(rows.f) }));

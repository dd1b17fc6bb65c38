// Line coverage of a package's *source* files from an istanbul coverage-final.json of its bundled dist/.
//
// Jazzer.js instruments what Node loads (packages/<pkg>/dist/index.js) and its `--coverage` report is per dist
// file. The README's table wants "line coverage of the parser", i.e. of src/pcapng.ts rather than of one bundle
// that also holds the writer, so this maps every istanbul statement back through the bundle's source map
// (plain base64 VLQ decoding, no dependency) and counts a source line as covered when a statement that starts
// on it ran. A source line with no statement (comments, types, braces) is not counted, as in istanbul.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes a source map's `mappings` into per-generated-line arrays of [column, sourceIndex, line, column]. */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of lineText.split(',')) {
      if (segment === '') continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = DIGIT.get(char);
        if (digit === undefined) throw new Error(`bad source map character ${char}`);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length >= 4) {
        source += values[1];
        originalLine += values[2];
        originalColumn += values[3];
        segments.push([column, source, originalLine, originalColumn]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** The original [sourceIndex, line (0-based)] of a generated position, or undefined if unmapped. */
function originalPosition(decoded, line, column) {
  const segments = decoded[line];
  if (!segments || segments.length === 0) return undefined;
  let best;
  for (const segment of segments) {
    if (segment[0] <= column) best = segment;
    else break;
  }
  best ??= segments[0];
  return [best[1], best[2]];
}

/**
 * Per source file line coverage for one package (the union when several coverage files are given).
 * @param {string | string[]} coverageJson path(s) of istanbul coverage-final.json files
 * @param {string} packageDir absolute path of packages/<pkg>
 * @returns {Map<string, {covered: Set<number>, uncovered: Set<number>}>} keyed by path relative to packageDir
 */
export function sourceLineCoverage(coverageJson, packageDir) {
  const result = new Map();
  const entries = [coverageJson].flat().flatMap((path) => Object.entries(JSON.parse(readFileSync(path, 'utf8'))));
  for (const [file, entry] of entries) {
    const absolute = resolve(entry.path ?? file);
    if (!absolute.startsWith(join(packageDir, 'dist'))) continue;
    const mapFile = `${absolute}.map`;
    if (!existsSync(mapFile)) continue;
    const map = JSON.parse(readFileSync(mapFile, 'utf8'));
    const decoded = decodeMappings(map.mappings);
    const sources = map.sources.map((s) => relative(packageDir, resolve(dirname(mapFile), map.sourceRoot ?? '', s)));
    for (const [id, location] of Object.entries(entry.statementMap)) {
      const position = originalPosition(decoded, location.start.line - 1, location.start.column);
      if (!position) continue;
      const source = sources[position[0]];
      if (source === undefined || source.startsWith('..')) continue;
      let lines = result.get(source);
      if (!lines) {
        lines = { covered: new Set(), uncovered: new Set() };
        result.set(source, lines);
      }
      (entry.s[id] > 0 ? lines.covered : lines.uncovered).add(position[1] + 1);
    }
  }
  for (const lines of result.values()) for (const line of lines.covered) lines.uncovered.delete(line);
  return result;
}

/** Compresses sorted line numbers into "3-5, 9" ranges. */
export function ranges(lines) {
  const sorted = [...lines].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
    out.push(start === sorted[i] ? `${start}` : `${start}-${sorted[i]}`);
  }
  return out.join(', ');
}

/**
 * Summarises the coverage of the listed parser files (and their total).
 * @returns {{files: {file: string, lines: number, covered: number, pct: number, missing: string}[], total: {lines: number, covered: number, pct: number}}}
 */
export function parserCoverage(coverageJson, packageDir, parserFiles) {
  const all = sourceLineCoverage(coverageJson, packageDir);
  const files = parserFiles.map((file) => {
    const lines = all.get(file) ?? { covered: new Set(), uncovered: new Set() };
    const total = lines.covered.size + lines.uncovered.size;
    return {
      file,
      lines: total,
      covered: lines.covered.size,
      pct: total === 0 ? 0 : (100 * lines.covered.size) / total,
      missing: ranges(lines.uncovered),
    };
  });
  const lines = files.reduce((n, f) => n + f.lines, 0);
  const covered = files.reduce((n, f) => n + f.covered, 0);
  return { files, total: { lines, covered, pct: lines === 0 ? 0 : (100 * covered) / lines } };
}

// CLI: node scripts/coverage.mjs <packages/pkg> <src/a.ts,src/b.ts> <coverage-final.json>...  (the union of the runs)
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [packageDir, files, ...jsons] = process.argv.slice(2);
  if (!packageDir || !files || jsons.length === 0) {
    console.error('usage: node scripts/coverage.mjs <packages/pkg> <src/a.ts,src/b.ts> <coverage-final.json>...');
    process.exit(2);
  }
  const { files: rows, total } = parserCoverage(jsons, resolve(packageDir), files.split(','));
  for (const row of rows) {
    console.log(
      `${row.file}: ${row.pct.toFixed(1)}% (${row.covered}/${row.lines})${row.missing ? ` missing ${row.missing}` : ''}`,
    );
  }
  console.log(`total: ${total.pct.toFixed(1)}% (${total.covered}/${total.lines})`);
}

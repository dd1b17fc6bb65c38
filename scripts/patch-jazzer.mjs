#!/usr/bin/env node
// Makes the @jazzer.js/fuzzer 4.0.0 prebuilt addon load on glibc < 2.38 (Debian 12 ships 2.36).
//
// Run by the root `postinstall` on every `pnpm install`. It loads the addon in a child process and does nothing
// more when that works (glibc >= 2.38, other platforms, Jazzer.js not installed). Only when the load fails for
// the GLIBC_2.38 / GLIBCXX_3.4.32 version needs does it patch the ELF (see ../fuzz/README.md, "Jazzer.js on
// glibc < 2.38"):
//   1. point the three dynamic symbols that need those versions at older, ABI-compatible ones, by renaming them in
//      .dynstr (same length or shorter, NUL-padded, so no offset moves) and re-pointing their .gnu.version entries
//      at the old version (GLIBC_2.2.5 / GLIBCXX_3.4) the replacement symbols carry;
//        __isoc23_strtol  -> strtol    (C23 also accepts "0b" prefixes; nothing in libFuzzer parses those)
//        __isoc23_strtoul -> strtoul
//        _ZSt21ios_base_library_initv -> _ZNSt8ios_base4InitC1Ev   (referenced to pull in iostream init; never called)
//   2. mark the now-unused GLIBC_2.38 and GLIBCXX_3.4.32 version needs VER_FLG_WEAK in .gnu.version_r, so ld.so
//      does not reject the object when libc / libstdc++ lack them (glibc's _dl_check_map_versions only warns
//      about missing weak needs).
// The addon's own .gnu.hash only indexes symbols it defines (from symoffset on), and the three are undefined
// imports looked up by name in the providing libraries, so no hash table needs rebuilding; this is checked.
//
// pnpm hard-links package files from its content-addressed store, so the patched copy is written to a new file
// and renamed over the old one; the store keeps the pristine addon.
//
// Exit status: 0 when the addon loads (patched or not) or when there is nothing this script can or should do;
// 1 when a patch was attempted and the addon still does not load (the original is restored).
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tag = 'patch-jazzer:';

/** Version needs the addon may carry that older systems lack, and what each symbol needing them becomes. */
const FIXES = [
  {
    library: /^libc\.so\./,
    version: 'GLIBC_2.38',
    fallbackVersion: 'GLIBC_2.2.5',
    renames: new Map([
      ['__isoc23_strtol', 'strtol'],
      ['__isoc23_strtoul', 'strtoul'],
    ]),
  },
  {
    library: /^libstdc\+\+\.so\./,
    version: 'GLIBCXX_3.4.32',
    fallbackVersion: 'GLIBCXX_3.4',
    renames: new Map([['_ZSt21ios_base_library_initv', '_ZNSt8ios_base4InitC1Ev']]),
  },
];
const PATCHABLE_ERROR = /version [`']?(GLIBC_2\.38|GLIBCXX_3\.4\.32)'? not found/;

const SHT_STRTAB = 3;
const SHT_DYNAMIC = 6;
const SHT_DYNSYM = 11;
const SHT_GNU_HASH = 0x6ffffff6;
const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;
const SHN_UNDEF = 0;
const VER_FLG_WEAK = 0x2;
/** .dynamic tags whose value is a .dynstr offset: DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH, DT_AUXILIARY, DT_FILTER. */
const DYNSTR_TAGS = new Set([1n, 14n, 15n, 29n, 0x7ffffffdn, 0x7fffffffn]);

/** Every copy of the addon for this platform that this install could load (deduplicated by real path). */
function findAddons() {
  const name = `fuzzer-${process.platform}-${process.arch}.node`;
  const dirs = new Set();
  // Resolve the way Node would from the fuzz workspace, then fall back to scanning pnpm's virtual store.
  try {
    const fromFuzz = createRequire(join(root, 'fuzz', 'package.json'));
    const core = fromFuzz.resolve('@jazzer.js/core/package.json');
    dirs.add(dirname(createRequire(core).resolve('@jazzer.js/fuzzer/package.json')));
  } catch {
    // not installed through the fuzz workspace
  }
  const store = join(root, 'node_modules', '.pnpm');
  if (existsSync(store)) {
    for (const entry of readdirSync(store)) {
      if (entry.startsWith('@jazzer.js+fuzzer@')) dirs.add(join(store, entry, 'node_modules', '@jazzer.js', 'fuzzer'));
    }
  }
  const files = new Map();
  for (const dir of dirs) {
    const file = join(dir, 'prebuilds', name);
    if (existsSync(file)) files.set(realpathSync(file), file);
  }
  return [...files.keys()];
}

/** Loads the addon in a child process (a failed dlopen can't be undone in this one); returns the error text or null. */
function tryLoad(file) {
  const child = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', file], { encoding: 'utf8' });
  if (child.status === 0) return null;
  return `${child.stderr || child.stdout || `exit ${child.status ?? child.signal}`}`.trim();
}

/** Reads ELF64 little-endian sections by type; throws on anything else. */
function readElf(buf) {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint32(0) !== 0x7f454c46) throw new Error('not an ELF file');
  if (buf[4] !== 2 || buf[5] !== 1) throw new Error('only ELF64 little-endian is supported');
  const shoff = Number(view.getBigUint64(0x28, true));
  const shentsize = view.getUint16(0x3a, true);
  const shnum = view.getUint16(0x3c, true);
  if (shoff === 0 || shnum === 0) throw new Error('no section headers');
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    sections.push({
      index: i,
      type: view.getUint32(at + 4, true),
      offset: Number(view.getBigUint64(at + 24, true)),
      size: Number(view.getBigUint64(at + 32, true)),
      link: view.getUint32(at + 40, true),
      info: view.getUint32(at + 44, true),
      entsize: Number(view.getBigUint64(at + 56, true)),
    });
  }
  const one = (type, what) => {
    const found = sections.filter((s) => s.type === type);
    if (found.length !== 1) throw new Error(`expected one ${what} section, found ${found.length}`);
    return found[0];
  };
  const dynsym = one(SHT_DYNSYM, '.dynsym');
  const dynstr = sections[dynsym.link];
  if (!dynstr || dynstr.type !== SHT_STRTAB) throw new Error('.dynsym does not link to a string table');
  return {
    view,
    dynsym,
    dynstr,
    versym: one(SHT_GNU_VERSYM, '.gnu.version'),
    verneed: one(SHT_GNU_VERNEED, '.gnu.version_r'),
    verdef: sections.find((s) => s.type === SHT_GNU_VERDEF),
    dynamic: sections.find((s) => s.type === SHT_DYNAMIC),
    gnuHash: sections.find((s) => s.type === SHT_GNU_HASH),
  };
}

function cString(buf, at) {
  let end = at;
  while (buf[end] !== 0) end++;
  return buf.toString('latin1', at, end);
}

/** Patches a copy of the addon bytes; returns the patched bytes and a list of what changed. */
function patchElf(original) {
  const buf = Buffer.from(original);
  const elf = readElf(buf);
  const { view, dynsym, dynstr, versym, verneed } = elf;
  const str = (offset) => cString(buf, dynstr.offset + offset);
  const changes = [];

  // Version needs: file name and every Vernaux (name, flags offset, version index).
  const needs = [];
  for (let at = verneed.offset, n = 0; n < verneed.info; n++) {
    const file = str(view.getUint32(at + 4, true));
    for (let aux = at + view.getUint32(at + 8, true), k = view.getUint16(at + 2, true); k > 0; k--) {
      needs.push({
        file,
        name: str(view.getUint32(aux + 8, true)),
        flagsAt: aux + 4,
        index: view.getUint16(aux + 6, true) & 0x7fff,
        nameOffset: view.getUint32(aux + 8, true),
      });
      const next = view.getUint32(aux + 12, true);
      if (next === 0) break;
      aux += next;
    }
    const next = view.getUint32(at + 12, true);
    if (next === 0) break;
    at += next;
  }

  // Every .dynstr offset something refers to, to make sure renaming a string in place changes nothing else.
  const symbols = [];
  for (let i = 0; i < dynsym.size / dynsym.entsize; i++) {
    const at = dynsym.offset + i * dynsym.entsize;
    symbols.push({ index: i, nameOffset: view.getUint32(at, true), shndx: view.getUint16(at + 6, true) });
  }
  const references = [...symbols.map((s) => s.nameOffset), ...needs.map((n) => n.nameOffset)];
  for (let at = verneed.offset, n = 0; n < verneed.info; n++) {
    references.push(view.getUint32(at + 4, true));
    const next = view.getUint32(at + 12, true);
    if (next === 0) break;
    at += next;
  }
  if (elf.verdef) {
    for (let at = elf.verdef.offset, n = 0; n < elf.verdef.info; n++) {
      for (let aux = at + view.getUint32(at + 12, true), k = view.getUint16(at + 6, true); k > 0; k--) {
        references.push(view.getUint32(aux, true));
        const next = view.getUint32(aux + 4, true);
        if (next === 0) break;
        aux += next;
      }
      const next = view.getUint32(at + 16, true);
      if (next === 0) break;
      at += next;
    }
  }
  if (elf.dynamic) {
    for (let at = elf.dynamic.offset; at < elf.dynamic.offset + elf.dynamic.size; at += 16) {
      const tagValue = view.getBigInt64(at, true);
      if (tagValue === 0n) break;
      if (DYNSTR_TAGS.has(tagValue)) references.push(Number(view.getBigUint64(at + 8, true)));
    }
  }
  const symoffset = elf.gnuHash ? view.getUint32(elf.gnuHash.offset + 4, true) : 0;

  for (const fix of FIXES) {
    const need = needs.find((n) => fix.library.test(n.file) && n.name === fix.version);
    if (!need) continue;
    const fallback = needs.find((n) => n.file === need.file && n.name === fix.fallbackVersion);
    if (!fallback) throw new Error(`${need.file} has no ${fix.fallbackVersion} need to fall back to`);
    for (const symbol of symbols) {
      const name = str(symbol.nameOffset);
      const replacement = fix.renames.get(name);
      const versionIndex = view.getUint16(versym.offset + symbol.index * 2, true) & 0x7fff;
      if (versionIndex !== need.index) continue;
      if (replacement === undefined) throw new Error(`${name} needs ${fix.version}, and there is no known replacement`);
      if (symbol.shndx !== SHN_UNDEF)
        throw new Error(`${name} is defined in the addon; renaming it would need a rehash`);
      if (elf.gnuHash && symbol.index >= symoffset) throw new Error(`${name} is in the addon's .gnu.hash`);
      if (replacement.length > name.length) throw new Error(`${replacement} is longer than ${name}`);
      const start = symbol.nameOffset;
      const end = start + name.length;
      const shared = references.some((r) => r > start && r <= end);
      const alias = symbols.some((s) => s.nameOffset === start && s.index !== symbol.index);
      if (shared || alias) throw new Error(`the string ${name} is shared with another name; refusing to rewrite it`);
      buf.fill(0, dynstr.offset + start, dynstr.offset + end);
      buf.write(replacement, dynstr.offset + start, 'latin1');
      view.setUint16(versym.offset + symbol.index * 2, fallback.index, true);
      changes.push(`${name}@${fix.version} -> ${replacement}@${fix.fallbackVersion}`);
    }
    const flags = view.getUint16(need.flagsAt, true);
    if ((flags & VER_FLG_WEAK) === 0) {
      view.setUint16(need.flagsAt, flags | VER_FLG_WEAK, true);
      changes.push(`${need.file} ${fix.version} need marked weak`);
    }
  }
  return { bytes: buf, changes };
}

function patchFile(file) {
  const error = tryLoad(file);
  if (error === null) return true;
  if (!PATCHABLE_ERROR.test(error)) {
    console.warn(`${tag} ${file} does not load, and not for a reason this script fixes; leaving it alone:\n${error}`);
    return true;
  }
  const { bytes, changes } = patchElf(readFileSync(file));
  if (changes.length === 0) {
    console.error(`${tag} ${file} fails to load but has nothing left to patch:\n${error}`);
    return false;
  }
  const temp = `${file}.patching-${process.pid}`;
  const backup = `${file}.orig-${process.pid}`;
  writeFileSync(temp, bytes, { mode: statSync(file).mode });
  linkSync(file, backup);
  renameSync(temp, file);
  const after = tryLoad(file);
  if (after !== null) {
    renameSync(backup, file);
    console.error(`${tag} patched ${file} but it still does not load (original restored):\n${after}`);
    return false;
  }
  unlinkSync(backup);
  console.log(`${tag} patched ${file} for this glibc: ${changes.join('; ')}`);
  return true;
}

function main() {
  if (process.env.OAKLOG_SKIP_JAZZER_PATCH) return 0;
  let addons;
  try {
    addons = findAddons();
  } catch (error) {
    console.log(`${tag} could not look for @jazzer.js/fuzzer (${error}); skipping`);
    return 0;
  }
  if (addons.length === 0) {
    if (existsSync(join(root, 'node_modules', '.pnpm')) && process.platform === 'linux') {
      console.log(`${tag} no @jazzer.js/fuzzer prebuild for ${process.platform}-${process.arch}; nothing to do`);
    }
    return 0;
  }
  let ok = true;
  for (const file of addons) {
    try {
      ok = patchFile(file) && ok;
    } catch (error) {
      // A layout this script does not understand: report it, and let the install finish.
      console.warn(`${tag} cannot patch ${file}: ${error instanceof Error ? error.message : error}`);
    }
  }
  return ok ? 0 : 1;
}

process.exitCode = main();

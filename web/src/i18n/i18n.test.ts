// The dictionaries stay in step, and no user-facing text in web/src bypasses them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import en from './en.json' with { type: 'json' };
import id from './id.json' with { type: 'json' };

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** Props and object keys whose string values reach the user. */
const USER_FACING = new Set(['placeholder', 'title', 'alt', 'aria-label', 'label', 'caption', 'summary', 'aria-description']);

/** Text a user reads: at least two letters in a row (codes like 'S', 'D/S', '2T', symbols and message keys pass). */
const hasWords = (s: string) => /\p{L}{2,}/u.test(s) && !(s in id);

/** Finds hard-coded user-facing text in one source file. */
function hardCodedTexts(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const where = (n: ts.Node) => `${fileName.slice(SRC.length)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node) => {
    if (ts.isJsxText(n) && hasWords(n.text.trim())) found.push(`${where(n)} JSX text "${n.text.trim()}"`);
    if (ts.isJsxAttribute(n) && n.initializer) {
      const name = n.name.getText(sf);
      const init = n.initializer;
      const literal = ts.isStringLiteral(init) ? init : ts.isJsxExpression(init) && init.expression && (ts.isStringLiteral(init.expression) || ts.isNoSubstitutionTemplateLiteral(init.expression)) ? init.expression : null;
      if (USER_FACING.has(name) && literal && hasWords(literal.text)) found.push(`${where(n)} ${name}="${literal.text}"`);
    }
    if (ts.isPropertyAssignment(n) && USER_FACING.has(n.name.getText(sf).replace(/['"]/g, ''))) {
      const v = n.initializer;
      if ((ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v)) && hasWords(v.text)) found.push(`${where(n)} ${n.name.getText(sf)}: '${v.text}'`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n dictionaries', () => {
  it('id and en have the same keys, none empty, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const [key, text] of Object.entries(id)) {
      const english = (en as Record<string, string>)[key];
      expect(text.trim(), key).not.toBe('');
      expect(english.trim(), key).not.toBe('');
      expect(placeholders(english), key).toEqual(placeholders(text));
    }
  });

  it('every key built at run time (t(`prefix.${x}`)) has entries under its prefix', () => {
    const keys = Object.keys(id);
    const prefixes = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/t\(`([a-zA-Z.]+)\.\$\{/g)) prefixes.add(`${m[1]}.`);
    }
    expect(prefixes.size).toBeGreaterThan(5);
    for (const p of prefixes) expect(keys.some((k) => k.startsWith(p)), p).toBe(true);
  });
});

describe('no user-facing string bypasses i18n', () => {
  it('the scanner catches JSX text, string props and label properties', () => {
    const bad = hardCodedTexts(`${SRC}x.tsx`, `const c = [{ label: 'Nama anak' }];\nexport const A = () => <div title="Judul"><p>Halo dunia</p><input placeholder={'Cari'} /><b>{t('ok')}</b> · S</div>;`);
    expect(bad).toHaveLength(4);
    expect(hardCodedTexts(`${SRC}y.tsx`, `const c = [{ label: 'D/S', key: 'name' }];\nexport const B = () => <p className="big" data-testid="cards">{t('x')} · 2T</p>;`)).toEqual([]);
  });

  it('web/src has no hard-coded user-facing text', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(15);
    const found = files.flatMap((f) => hardCodedTexts(f, readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});

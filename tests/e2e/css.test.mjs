// css.test.mjs: the project's own stylesheets parse. A small checker, no
// dependencies: comments and strings are skipped, every brace must balance,
// each block is an at-rule or a rule with a selector, and each declaration
// inside a rule is "property: value". An unclosed block (an @media print
// left open swallows every rule after it) fails here instead of on screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const STATIC = new URL('../../static/', import.meta.url).pathname;

// Parse css; returns a list of problems ("line N: ..."), empty when it is well formed.
export function cssProblems(css) {
  const problems = [];
  const stack = []; // open blocks: { kind: 'at' | 'rule', line }
  let line = 1, buf = '', bufLine = 1;
  const flushDecl = (end) => {
    const text = buf.trim();
    buf = '';
    if (!text) return;
    const top = stack[stack.length - 1];
    if (!top) { problems.push(`line ${bufLine}: "${text.slice(0, 40)}" is outside any rule`); return; }
    if (top.kind === 'rule' && !/^-{0,2}[a-zA-Z][\w-]*\s*:\s*\S[\s\S]*$/.test(text))
      problems.push(`line ${bufLine}: "${text.slice(0, 40)}" is not a declaration (property: value)${end}`);
  };
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (c === '\n') line++;
    if (c === '/' && css[i + 1] === '*') {
      const j = css.indexOf('*/', i + 2);
      if (j < 0) { problems.push(`line ${line}: a comment is not closed`); break; }
      line += (css.slice(i, j).match(/\n/g) || []).length;
      i = j + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== c && css[j] !== '\n') j += css[j] === '\\' ? 2 : 1;
      if (css[j] !== c) { problems.push(`line ${line}: a string is not closed`); break; }
      buf += css.slice(i, j + 1);
      i = j;
      continue;
    }
    if (!buf.trim()) bufLine = line;
    if (c === '{') {
      const head = buf.trim();
      buf = '';
      if (!head) problems.push(`line ${line}: a block has no selector`);
      const parent = stack[stack.length - 1];
      if (parent && parent.kind === 'rule') problems.push(`line ${line}: a block inside a rule`);
      stack.push({ kind: head.startsWith('@') ? 'at' : 'rule', line });
    } else if (c === '}') {
      flushDecl('');
      if (!stack.length) problems.push(`line ${line}: "}" closes nothing`);
      else stack.pop();
    } else if (c === ';') {
      const top = stack[stack.length - 1];
      if (!top && buf.trim().startsWith('@')) buf = ''; // @import, @charset
      else flushDecl('');
    } else {
      buf += c;
    }
  }
  flushDecl(' (no ";" or "}" after it)');
  for (const open of stack) problems.push(`line ${open.line}: this block is never closed`);
  return problems;
}

test('the checker finds an unclosed block, a stray brace and a broken declaration', () => {
  assert.deepEqual(cssProblems('@media print {\n  .a { color: red; }\n.b { color: blue; }\n'),
    ['line 1: this block is never closed']);
  assert.deepEqual(cssProblems('.a { color: red; }\n}\n'), ['line 2: "}" closes nothing']);
  assert.match(cssProblems('.a { color red; }')[0], /not a declaration/);
  assert.match(cssProblems('.a { content: "}" ; }\n.b { x: 1 }').join(), /^$/);
  assert.deepEqual(cssProblems('/* a } */ @media print { .a, .b { display: none !important; } }'), []);
});

test("every stylesheet of the project's own parses", () => {
  const files = readdirSync(STATIC).filter((f) => f.endsWith('.css'));
  assert.ok(files.includes('app.css'));
  for (const f of files) assert.deepEqual(cssProblems(readFileSync(join(STATIC, f), 'utf8')), [], f);
});

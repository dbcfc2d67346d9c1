// Tokenizes every policy with the VS Code TextMate grammar and checks it against the g4 lexer's keywords and literals.
// Usage: node check.mjs <repo root>. Exit 0 all good, 1 a failure (each printed as file:line:col), 2 bad usage.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const onig = require('vscode-oniguruma');

const root = path.resolve(process.argv[2] ?? '');
if (!process.argv[2] || !fs.existsSync(path.join(root, 'grammar', 'Xiangyue.g4'))) {
  console.error('usage: node check.mjs <repo root>');
  process.exit(2);
}
const grammarPath = path.join(root, 'editors', 'vscode', 'syntaxes', 'xiangyue.tmLanguage.json');
const ROOT_SCOPE = 'source.xiangyue';
const LEXER_WS = /^[ \t\r\n\u3000\uFEFF]*$/; // the g4's WS rule

const failures = [];
const warnings = [];
const fail = (msg) => failures.push(msg);

// ---- the grammar, loaded as VS Code loads it --------------------------------------------------

const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (sources) => new onig.OnigScanner(sources),
    createOnigString: (s) => new onig.OnigString(s),
  }),
  loadGrammar: async (scope) =>
    scope === ROOT_SCOPE ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
});
const grammar = await registry.loadGrammar(ROOT_SCOPE);
if (!grammar) {
  console.error(`cannot load ${grammarPath}`);
  process.exit(1);
}

// Tokens of a text (several lines allowed): {line, col, text, scopes}.
function tokenize(text) {
  const out = [];
  let stack = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      const s = line.substring(t.startIndex, t.endIndex);
      // Columns count code points from 1, at the token's first non-blank character (as xy reports).
      const lead = s.length - s.replace(/^[ \t\u3000\uFEFF]+/, '').length;
      if (s) out.push({ line: i + 1, col: [...line.slice(0, t.startIndex + lead)].length + 1, text: s, scopes: t.scopes });
    }
    stack = r.ruleStack;
  });
  return out;
}

const unscoped = (t) => !LEXER_WS.test(t.text) && t.scopes.length === 1 && t.scopes[0] === ROOT_SCOPE;
const invalid = (t) => t.scopes.some((s) => s.includes('invalid'));
const describe = (t) => `\`${t.text.trim()}\` [${t.scopes.join(' ')}]`;

// ---- 1. every policy file ---------------------------------------------------------------------

function xyFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...xyFiles(p));
    else if (e.name.endsWith('.xy')) out.push(p);
  }
  return out.sort();
}

// A conformance case is expected to compile unless its expected exit status is 1 (a compile error).
function caseCompiles(file) {
  const casesDir = path.join(root, 'tests', 'conformance', 'cases');
  const caseDir = path.join(casesDir, path.relative(casesDir, file).split(path.sep)[0]);
  const expected = path.join(caseDir, 'expected.out');
  if (!fs.existsSync(expected)) return true;
  return !/^exit: 1\s*$/m.test(fs.readFileSync(expected, 'utf8').split('\n')[0]);
}

let fileCount = 0;
let tokenCount = 0;
let malformedInvalid = 0;
const policyFiles = xyFiles(path.join(root, 'policies'));
const caseFiles = xyFiles(path.join(root, 'tests', 'conformance', 'cases'));
for (const file of [...policyFiles, ...caseFiles]) {
  const rel = path.relative(root, file);
  const strict = rel.startsWith('policies' + path.sep);
  const compiles = strict || caseCompiles(file);
  const tokens = tokenize(fs.readFileSync(file, 'utf8'));
  fileCount++;
  for (const t of tokens) {
    if (LEXER_WS.test(t.text)) continue;
    tokenCount++;
    const bad = unscoped(t) ? 'unscoped' : invalid(t) ? 'invalid' : null;
    if (!bad) continue;
    const msg = `${rel}:${t.line}:${t.col}: ${bad} token ${describe(t)}`;
    if (strict) fail(msg);
    else if (compiles) warnings.push(msg);
    else malformedInvalid++; // a deliberately malformed case: an error token is expected there
  }
}

// ---- 2. every keyword of the g4 lexer ---------------------------------------------------------

const g4 = fs.readFileSync(path.join(root, 'grammar', 'Xiangyue.g4'), 'utf8');
const kwStart = g4.indexOf('lexer: keywords');
const kwEnd = g4.indexOf('lexer: literals');
if (kwStart < 0 || kwEnd < kwStart) fail('grammar/Xiangyue.g4: cannot find the "lexer: keywords" .. "lexer: literals" section');
const kwSection = g4.slice(kwStart, kwEnd).replace(/\/\/[^\n]*/g, '');
// One spelling per alternative: the quoted parts, `[ \t]+` between words read as one space.
const keywords = [];
for (const m of kwSection.matchAll(/^([A-Z_]+)\s*:([^;]*);/gm)) {
  for (const alt of m[2].split('|')) {
    const spelled = alt.replace(/\[ \\t\]\+/g, "' '").match(/'([^']*)'/g);
    if (spelled) keywords.push({ rule: m[1], word: spelled.map((q) => q.slice(1, -1)).join('') });
  }
}
const rules = [...new Set(keywords.map((k) => k.rule))];
if (rules[0] !== 'SCHEMA' || rules.at(-1) !== 'NE_WORD' || keywords.length < 60)
  fail(`grammar/Xiangyue.g4: expected the keyword rules SCHEMA..NE_WORD, read ${rules[0]}..${rules.at(-1)} (${keywords.length} spellings)`);

// The scope each keyword rule gets; a rule not listed must still be some keyword.
const expectedScope = {
  ...Object.fromEntries(['SCHEMA', 'ENUM', 'ORDERED', 'ENTITY', 'RECORD', 'ACTION', 'SET', 'SENSITIVE', 'LIST', 'POLICY',
    'KIND', 'DEFAULT', 'FOR', 'SCOPE', 'VERSION', 'RULE'].map((r) => [r, 'keyword.other'])),
  TRUE: 'constant.language.boolean', FALSE: 'constant.language.boolean',
  WHEN: 'keyword.control', BECAUSE: 'keyword.control', BASIS: 'keyword.control', EFFECTIVE: 'keyword.control',
  TO: 'keyword.control', EXCEPTION_TO: 'keyword.control',
  AND: 'keyword.operator.logical', OR: 'keyword.operator.logical', NOT: 'keyword.operator.logical',
  IN: 'keyword.operator', NOT_IN: 'keyword.operator', IS: 'keyword.operator', SOME: 'keyword.operator',
  NONE: 'keyword.operator', HAS_VALUE: 'keyword.operator', NO_VALUE: 'keyword.operator',
  ANY: 'keyword.operator.quantifier', ALL: 'keyword.operator.quantifier', COUNT: 'keyword.operator.quantifier',
  GT_WORD: 'keyword.operator.comparison', LT_WORD: 'keyword.operator.comparison', GE_WORD: 'keyword.operator.comparison',
  LE_WORD: 'keyword.operator.comparison', EQ_WORD: 'keyword.operator.comparison', NE_WORD: 'keyword.operator.comparison',
};
const hasScope = (t, prefix) => t.scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));

let samples = 0;
function checkOne(label, text, want, opts = {}) {
  samples++;
  const tokens = tokenize(text).filter((t) => !LEXER_WS.test(t.text));
  const problem = (why) => fail(`sample ${label} \`${text.replace(/\n/g, '\\n')}\`: ${why}; tokens: ${tokens.map(describe).join(', ')}`);
  if (tokens.length === 0) return problem('no tokens');
  if (!opts.multi && tokens.length !== 1) return problem(`expected one token scoped ${want}`);
  const squeeze = (x) => x.replace(/[ \t\n]/g, '');
  if (squeeze(tokens.map((t) => t.text).join('')) !== squeeze(text)) return problem('tokens do not cover the text');
  for (const t of tokens) {
    if (!hasScope(t, want)) return problem(`\`${t.text}\` is not scoped ${want}`);
    if (opts.not && t.scopes.some((s) => s.startsWith(opts.not))) return problem(`\`${t.text}\` is scoped ${opts.not}`);
  }
}

for (const { rule, word } of keywords) {
  const want = expectedScope[rule] ?? 'keyword';
  checkOne(`keyword ${rule}`, word, want);
  samples++;
  const inLine = tokenize(`x ${word} y`).filter((t) => t.text.trim() === word);
  if (inLine.length !== 1 || !hasScope(inLine[0], want)) fail(`keyword ${rule} \`${word}\` between names: not one token scoped ${want}`);
  if (word.includes(' ')) checkOne(`keyword ${rule} spaced with a tab`, word.replace(/ /g, ' \t '), want);
  else {
    // Glued to an identifier character, a keyword is part of one identifier (the lexer's longest match).
    for (const glued of [`${word}甲`, `甲${word}`, `${word}_1`, `x${word}`])
      checkOne(`${rule} glued`, glued, 'variable.other', { not: 'keyword' });
  }
}

// Every literal token of the parser rules (operators, punctuation) is scoped and valid.
const parserPart = g4.slice(0, kwStart).replace(/\/\/[^\n]*/g, '');
for (const lit of new Set([...parserPart.matchAll(/'([^']+)'/g)].map((m) => m[1]))) {
  samples++;
  const tokens = tokenize(`a ${lit} b`).filter((t) => t.text.trim() === lit);
  if (tokens.length !== 1 || unscoped(tokens[0]) || invalid(tokens[0]))
    fail(`literal '${lit}' of the parser rules: ${tokens.length ? describe(tokens[0]) : 'not one token'}`);
}

// ---- 3. targeted samples ------------------------------------------------------------------------

// [label, text, scope every token must have, options]
const targeted = [
  ['glued 当', '当事项', 'variable.other', { not: 'keyword' }],
  ['NOT_IN is one keyword', '不属于', 'keyword.operator.membership'],
  ['属于 after 不 glued', '不属于x', 'variable.other', { not: 'keyword' }],
  ['corner string with a placeholder', '「{c.编号}」', 'string.quoted', { multi: true }],
  ['placeholder scope', '「{c.编号}」', 'string', { multi: true }],
  ['double string', '"「{公约.名称}」由{表决主体}表决通过"', 'string.quoted.double', { multi: true }],
  ['fullwidth string', '“调解民间纠纷”', 'string.quoted.double', { multi: true }],
  ['escapes', '"a\\"b{{c}}"', 'string.quoted.double', { multi: true }],
  ['masked placeholder', '"{申报人.姓名|遮蔽}"', 'string.quoted.double', { multi: true }],
  ['# comment', '# comment 注释 当 "x"', 'comment.line.number-sign', { multi: true }],
  ['// comment', '// comment 当 2024-01-01', 'comment.line.double-slash', { multi: true }],
  ['block comment', '/* a 当\n 规则 b */', 'comment.block', { multi: true }],
  ['ISO date', '2024-01-01', 'constant.numeric.date'],
  ['ISO date, short', '2024-1-1', 'constant.numeric.date'],
  ['Chinese date', '2024年1月1日', 'constant.numeric.date'],
  ['unit 5年', '5年', 'constant.numeric.unit', { multi: true }],
  ['unit 3个月', '3个月', 'constant.numeric.unit', { multi: true }],
  ['unit 1年6个月', '1年6个月', 'constant.numeric.unit', { multi: true }],
  ['unit 1年零6个月', '1年零6个月', 'constant.numeric.unit', { multi: true }],
  ['unit 5 years', '5 years', 'constant.numeric.unit', { multi: true }],
  ['unit 10万元', '10万元', 'constant.numeric.unit', { multi: true }],
  ['unit 1.5亿元', '1.5亿元', 'constant.numeric.unit', { multi: true }],
  ['a date then a unit part is a unit number', '2024年1月1日3天', 'constant.numeric.unit', { multi: true }],
  ['fraction', '三分之二', 'constant.numeric.fraction'],
  ['fraction glued', '三分之二的', 'variable.other', { not: 'constant' }],
  ['integer', '42', 'constant.numeric.integer'],
  ['decimal', '0.5', 'constant.numeric.decimal'],
  ['true', '真', 'constant.language.boolean'],
  ['false', 'false', 'constant.language.boolean'],
  ['identifier', '申报人_2', 'variable.other'],
  ['full-width comma', '，', 'punctuation.separator'],
  ['enumeration comma', '、', 'punctuation.separator'],
  ['full-width semicolon', '；', 'punctuation.separator'],
  ['full-width colon', '：', 'punctuation.separator'],
  ['≥', '≥', 'keyword.operator.comparison'],
  ['÷', '÷', 'keyword.operator.arithmetic'],
  ['full-width ＞ is an error token', '＞', 'invalid.illegal'],
];
for (const [label, text, want, opts] of targeted) checkOne(label, text, want, opts);

// Lines whose tokens are checked one by one: [label, line, [[token text, scopes it must all have], ...]].
const sequences = [
  ['3 年龄 is a number and a name', '3 年龄', [['3', 'constant.numeric.integer'], ['年龄', 'variable.other']]],
  ['5年且 x', '5年且 x', [['5', 'constant.numeric.unit'], ['年', 'constant.numeric.unit'], ['且', 'keyword.operator.logical'], ['x', 'variable.other']]],
  ['placeholder parts', '「{c.编号}」', [['「', 'punctuation.definition.string.begin'], ['{', 'punctuation.definition.template-expression.begin'],
    ['c', 'meta.template.expression variable.other'], ['.', 'meta.template.expression punctuation.accessor'], ['编号', 'meta.template.expression variable.other'], ['}', 'punctuation.definition.template-expression.end'], ['」', 'punctuation.definition.string.end']]],
  ['masked placeholder parts', '"{申报人.姓名|masked}"', [['"', 'string'], ['{', 'meta.template.expression'], ['申报人', 'variable.other'], ['.', 'punctuation.accessor'],
    ['姓名', 'variable.other'], ['|', 'punctuation.separator'], ['masked', 'support.constant'], ['}', 'meta.template.expression'], ['"', 'string']]],
  ['rule header', '规则 A4 例外于 A4_未准入 允许 下派事项', [['规则', 'keyword.other.declaration'], ['A4', 'entity.name.function'], ['例外于', 'keyword.control.exception'],
    ['A4_未准入', 'entity.name.function'], ['允许', 'support.constant.effect'], ['下派事项', 'entity.name.type']]],
  ['English rule header and clause', 'rule P1 permit 转正 when 已工作 >= 1年6个月', [['rule', 'keyword.other.declaration'], ['P1', 'entity.name.function'],
    ['permit', 'support.constant.effect'], ['转正', 'entity.name.type'], ['when', 'keyword.control'], ['已工作', 'variable.other'], ['>=', 'keyword.operator.comparison'],
    ['1', 'constant.numeric.unit'], ['年', 'constant.numeric.unit'], ['6', 'constant.numeric.unit'], ['个月', 'constant.numeric.unit']]],
  ['policy header', '政策 工作事项准入 {', [['政策', 'keyword.other.declaration'], ['工作事项准入', 'entity.name.type'], ['{', 'punctuation.section.block.begin']]],
  ['a keyword-named field', '记录 事项 { 类型：文本，版本: text? }', [['记录', 'keyword.other.declaration'], ['事项', 'entity.name.type'], ['{', 'punctuation'],
    ['类型', 'variable.other.property'], ['：', 'punctuation.separator'], ['文本', 'support.type'], ['，', 'punctuation.separator'], ['版本', 'variable.other.property'],
    [':', 'punctuation.separator'], ['text', 'support.type'], ['?', 'keyword.operator'], ['}', 'punctuation']]],
  ['set type', '成员: set<人员?>', [['成员', 'variable.other.property'], [':', 'punctuation'], ['set', 'keyword.other'], ['<', 'punctuation'], ['人员', 'variable.other'],
    ['?', 'keyword.operator'], ['>', 'punctuation']]],
  ['member access to a keyword-named field', '当 事项.类型 不等于 x', [['当', 'keyword.control'], ['事项', 'variable.other'], ['.', 'punctuation.accessor'],
    ['类型', 'variable.other.member'], ['不等于', 'keyword.operator.comparison'], ['x', 'variable.other']]],
  ['quantifier and count', 'count(x in 成员: x.年龄 < 18) ≥ 2', [['count', 'keyword.operator.quantifier'], ['(', 'punctuation'], ['x', 'variable.parameter'],
    ['in', 'keyword.operator'], ['成员', 'variable.other'], [':', 'punctuation'], ['x', 'variable.other'], ['.', 'punctuation'], ['年龄', 'variable.other.member'],
    ['<', 'keyword.operator.comparison'], ['18', 'constant.numeric'], [')', 'punctuation'], ['≥', 'keyword.operator.comparison'], ['2', 'constant.numeric']]],
  ['call', '周岁(出生日期, 基准日) 不满 18', [['周岁', 'support.function'], ['(', 'punctuation'], ['出生日期', 'variable.other'], [',', 'punctuation'],
    ['基准日', 'variable.other'], [')', 'punctuation'], ['不满', 'keyword.operator.comparison'], ['18', 'constant.numeric']]],
  ['effective period', '生效 2022-08-01 至 2025年12月31日', [['生效', 'keyword.control'], ['2022-08-01', 'constant.numeric.date'], ['至', 'keyword.control'],
    ['2025年12月31日', 'constant.numeric.date']]],
  ['a comment after code', 'x # 当', [['x', 'variable.other'], ['#', 'comment.line'], [' 当', 'comment.line']]],
];
for (const [label, line, want] of sequences) {
  samples++;
  const tokens = tokenize(line).filter((t) => !LEXER_WS.test(t.text));
  const got = tokens.map((t) => t.text);
  const ok = got.length === want.length && want.every(([text, scope], i) => tokens[i].text.trim() === text.trim() && scope.split(' ').every((sc) => hasScope(tokens[i], sc)));
  if (!ok) fail(`sample ${label} \`${line}\`: want ${want.map(([a, b]) => `${a}=${b}`).join(' ')}; got ${tokens.map(describe).join(', ')}`);
}

// ---- 4. the extension folder points at this grammar ----------------------------------------------

const extDir = path.join(root, 'editors', 'vscode');
const ext = JSON.parse(fs.readFileSync(path.join(extDir, 'package.json'), 'utf8'));
const lang = ext.contributes?.languages?.find((l) => l.id === 'xiangyue');
const gram = ext.contributes?.grammars?.find((g) => g.language === 'xiangyue');
if (!lang || !lang.extensions?.includes('.xy')) fail('editors/vscode/package.json: no language `xiangyue` for .xy');
if (!gram || gram.scopeName !== ROOT_SCOPE || path.resolve(extDir, gram.path) !== grammarPath)
  fail(`editors/vscode/package.json: the grammar contribution does not name ${ROOT_SCOPE} at syntaxes/xiangyue.tmLanguage.json`);
if (lang?.configuration) JSON.parse(fs.readFileSync(path.resolve(extDir, lang.configuration), 'utf8'));
if (!fs.existsSync(path.resolve(extDir, ext.main ?? ''))) fail(`editors/vscode/package.json: main ${ext.main} is missing`);

// ---- summary ------------------------------------------------------------------------------------

for (const w of warnings) console.log(`warning: ${w}`);
for (const f of failures) console.log(`FAIL: ${f}`);
console.log(
  `editor_grammar: ${fileCount} files (${policyFiles.length} policies, ${caseFiles.length} conformance), ${tokenCount} tokens checked, ` +
    `${keywords.length} keyword spellings, ${samples} samples; ${warnings.length} warnings, ` +
    `${malformedInvalid} error tokens in malformed cases; ${failures.length} failures`,
);
process.exit(failures.length ? 1 : 0);

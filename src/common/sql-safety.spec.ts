import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Values reach SQL only as parameters ($1, $2 …). This reads every SQL template in src/ and allows
 * interpolation only of fixed fragments the code itself builds: column lists, WHERE clauses assembled
 * from parameter placeholders, placeholder numbers, a channel name constant.
 */
const ALLOWED = [
  /^where\.length \? `WHERE \$\{where\.join\(' AND '\)\}` : ''$/,
  /^where\.join\(' AND '\)$/,
  /^params\.length( - 1)?$/,
  /^(PASSENGER_COLUMNS|SEGMENT_COLUMNS|NOTIFICATIONS_DUE_CHANNEL)$/,
  /^forUpdate \? 'FOR UPDATE' : ''$/,
  // CREATE DATABASE cannot take a parameter; the name is quoted as an identifier with quotes doubled.
  /^name\.replace\(\/"\/g, '""'\)$/,
  /^where$/,
  /^params\.length \+ 2$/,
  // A fixed jsonb expression over a table alias.
  /^scrubbedContext\('[a-z]+'\)$/,
];
const SQL = /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE|DROP|LISTEN|WHERE)\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('SQL is built only with parameters', () => {
  it('interpolates nothing but fixed fragments into SQL text', () => {
    const root = join(__dirname, '..');
    const offenders: string[] = [];
    let templates = 0;
    for (const file of sourceFiles(root)) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node) => {
        if (ts.isTemplateExpression(node)) {
          const text = node.head.text + node.templateSpans.map((s) => s.literal.text).join(' ');
          if (SQL.test(text)) {
            templates++;
            for (const span of node.templateSpans) {
              const expression = span.expression.getText(source);
              if (!ALLOWED.some((pattern) => pattern.test(expression))) {
                const { line } = source.getLineAndCharacterOfPosition(span.expression.getStart(source));
                offenders.push(`${relative(root, file)}:${line + 1} \${${expression}}`);
              }
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(templates).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});

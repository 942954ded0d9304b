import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
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
  /^(PASSENGER_COLUMNS|SEGMENT_COLUMNS|SEGMENT_FIELDS|NOTIFICATIONS_DUE_CHANNEL)$/,
  /^forUpdate \? 'FOR UPDATE' : ''$/,
  // CREATE DATABASE cannot take a parameter; the name is quoted as an identifier with quotes doubled.
  /^name\.replace\(\/"\/g, '""'\)$/,
  /^where$/,
  /^params\.length \+ 2$/,
  // MetaTemplatePauseRepository's table: typed as a union of two literal table names, set by its subclasses.
  /^this\.table$/,
  // Fixed fragments: retention's scrub of the contexts of a statement's scrubbed notifications; a notification with its context.
  /^(SCRUB_CONTEXTS|NOTIFICATION_WITH_CONTEXT|RECORD_COLUMNS)$/,
  // A contact as the passengers_contacts index finds it, of placeholders, columns or a quoted channel (src/bookings/booking-rows.ts).
  /^CONTACT_IS\((?:'[$a-z0-9_.]+'|"'[a-z]+'"), '[$a-z0-9_.]+'\)$/,
  // A semi-join through notification_keys on a fixed condition (src/notifications/notification-keys.ts).
  /^keysMatch(?:Few)?\((?:'[^']*'|`[^`$]*(?:\$(?!\{)[^`$]*)*`)(?:, 'n')?\)$/,
];
const SQL = /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE|DROP|LISTEN|WHERE)\b/;

/**
 * Files outside `*.repository.ts` that may hold SQL, each for a reason of its own. Everything else asks a
 * repository: the module that owns a table is the only one that writes SQL against it.
 */
const SQL_OUTSIDE_REPOSITORIES: Record<string, string> = {
  'database/migrator.ts': 'the migration lock and CREATE DATABASE: bootstrap, before any module exists',
  'health/health.controller.ts': 'SELECT 1, a reachability probe that reads no table',
  'bookings/booking-rows.ts': 'the column lists the bookings repositories share',
  'database/prepared-statement.ts': 'runs the named statements repositories hold; no SQL of its own',
  'notifications/notification-keys.ts': 'the semi-join through notification_keys that the repositories finding notifications by booking, flight, type or channel share',
};

/** `x.query(…)`, `x.createQueryBuilder(…)`, or a string or template whose text reads as SQL. */
function sqlIn(source: ts.SourceFile): number[] {
  const lines = new Set<number>();
  const visit = (node: ts.Node) => {
    const isQueryCall =
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ['query', 'createQueryBuilder'].includes(node.expression.name.text);
    const text =
      ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
        ? node.text
        : ts.isTemplateExpression(node)
          ? node.head.text + node.templateSpans.map((s) => s.literal.text).join(' ')
          : undefined;
    if (isQueryCall || (text !== undefined && SQL.test(text))) lines.add(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...lines];
}

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

  it('keeps SQL in *.repository.ts files, apart from a short list of reasoned exceptions', () => {
    const root = join(__dirname, '..');
    const offenders: string[] = [];
    const excepted = new Set<string>();
    let repositories = 0;
    for (const file of sourceFiles(root)) {
      const path = relative(root, file).split(sep).join('/');
      if (path.endsWith('.repository.ts')) {
        repositories++;
        continue;
      }
      const lines = sqlIn(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true));
      if (lines.length === 0) continue;
      if (path in SQL_OUTSIDE_REPOSITORIES) excepted.add(path);
      else offenders.push(...lines.map((line) => `${path}:${line}`));
    }
    expect(repositories).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
    // An exception whose file holds no SQL any more is deleted, so the list stays the short, true one.
    expect([...excepted].sort()).toEqual(Object.keys(SQL_OUTSIDE_REPOSITORIES).sort());
  });

  it('finds SQL outside a repository: a query call or SQL text', () => {
    const found = (code: string) => sqlIn(ts.createSourceFile('x.ts', code, ts.ScriptTarget.ES2022, true));
    expect(found(`await m.query('SELECT 1');`)).toEqual([1]);
    expect(found(`const q = 'x';\nconst s = \`UPDATE notifications SET status = \${q}\`;`)).toEqual([2]);
    expect(found(`repo.createQueryBuilder('n');`)).toEqual([1]);
    expect(found(`const s = 'selected';\nreq.query.limit;`)).toEqual([]);
  });
});

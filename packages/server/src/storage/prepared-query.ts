/**
 * A Kysely query built and compiled once, then bound to new values per call: hot queries skip
 * Kysely's query building (a few percent of a token request) but keep its dialect-specific SQL.
 * The SQLite dialect caches the prepared statement by SQL text, so a bound query is one lookup
 * and one statement execution.
 */
import { CompiledQuery, type Compilable } from 'kysely';

/** Marks a placeholder value in the compiled parameters; never a real value (NUL is not in our data). */
const MARK = '\u0000prepared:';

export class PreparedQuery<Name extends string> {
  readonly sql: string;
  /** Per compiled parameter: the placeholder's name, or a constant that the builder put in. */
  readonly #slots: ReadonlyArray<{ name: Name } | { value: unknown }>;

  /**
   * `build` receives one placeholder per name (use each where the value goes, as many times as
   * needed) and returns the query; it runs once.
   */
  constructor(names: readonly Name[], build: (p: Readonly<Record<Name, string>>) => Compilable) {
    const placeholders = Object.fromEntries(names.map((n) => [n, `${MARK}${n}`])) as Record<Name, string>;
    const compiled = build(placeholders).compile();
    this.sql = compiled.sql;
    this.#slots = compiled.parameters.map((v) => {
      if (typeof v === 'string' && v.startsWith(MARK)) {
        const name = v.slice(MARK.length) as Name;
        if (!names.includes(name)) throw new Error(`PreparedQuery: unknown placeholder ${name}`);
        return { name };
      }
      return { value: v };
    });
    const unused = names.filter((n) => !this.#slots.some((s) => 'name' in s && s.name === n));
    if (unused.length) throw new Error(`PreparedQuery: placeholders not used by the query: ${unused.join(', ')}`);
  }

  /** The compiled query with these values in place of the placeholders. */
  bind(values: Readonly<Record<Name, unknown>>): CompiledQuery {
    return CompiledQuery.raw(
      this.sql,
      this.#slots.map((s) => ('name' in s ? values[s.name] : s.value)),
    );
  }
}

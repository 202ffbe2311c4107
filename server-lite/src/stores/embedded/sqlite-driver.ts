import { createRequire } from 'node:module';

/** What the embedded store asks of a SQLite statement (positional parameters only). */
export type SqlStatement = {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number | bigint };
};

/** What the embedded store asks of a SQLite connection. */
export type SqlDatabase = {
  readonly driver: 'better-sqlite3' | 'node:sqlite';
  readonly isOpen: boolean;
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  /** fn inside BEGIN (or BEGIN IMMEDIATE) … COMMIT; ROLLBACK when it throws. */
  transaction<T>(fn: () => T, mode?: 'deferred' | 'immediate'): T;
  close(): void;
};

const require = createRequire(import.meta.url);

/**
 * Opens a SQLite file with the driver this Node runs safely. better-sqlite3 12 is the one tested
 * on Node 20 and 22 (13 crashes on 20), but on Node 24 its statement finalizer aborts the process
 * (node::RemoveEnvironmentCleanupHook, "(env) != nullptr", reported from 24.19 on, seen here on
 * 24.21.0) when V8 collects a statement. Node 24 has SQLite built in, so there it is node:sqlite.
 */
export function openSqlite(file: string): SqlDatabase {
  return Number(process.versions.node.split('.')[0]) >= 24 ? openNodeSqlite(file) : openBetterSqlite(file);
}

type BetterDatabase = {
  open: boolean;
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  transaction<T>(fn: () => T): { (): T; immediate(): T };
  close(): void;
};

function openBetterSqlite(file: string): SqlDatabase {
  // Loaded only here: on Node 24 the addon is never touched.
  const Database = require('better-sqlite3') as new (file: string) => BetterDatabase;
  const db = new Database(file);
  return {
    driver: 'better-sqlite3',
    get isOpen() {
      return db.open;
    },
    prepare: (sql) => db.prepare(sql),
    exec: (sql) => db.exec(sql),
    transaction: (fn, mode = 'deferred') =>
      mode === 'immediate' ? db.transaction(fn).immediate() : db.transaction(fn)(),
    close: () => db.close(),
  };
}

type NodeDatabase = {
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  close(): void;
};

function openNodeSqlite(file: string): SqlDatabase {
  const { DatabaseSync } = require('node:sqlite') as { DatabaseSync: new (file: string) => NodeDatabase };
  const db = new DatabaseSync(file);
  let isOpen = true;
  let depth = 0;
  return {
    driver: 'node:sqlite',
    get isOpen() {
      return isOpen;
    },
    prepare: (sql) => db.prepare(sql),
    exec: (sql) => db.exec(sql),
    transaction: (fn, mode = 'deferred') => {
      // Nested calls join the outer transaction, as better-sqlite3's do (it uses savepoints; the
      // store never relies on an inner rollback on its own).
      if (depth > 0) return fn();
      db.exec(mode === 'immediate' ? 'BEGIN IMMEDIATE' : 'BEGIN');
      depth++;
      try {
        const out = fn();
        db.exec('COMMIT');
        return out;
      } catch (e) {
        // SQLite may have rolled back already (some errors end the transaction themselves).
        try {
          db.exec('ROLLBACK');
        } catch {}
        throw e;
      } finally {
        depth--;
      }
    },
    close: () => {
      isOpen = false;
      db.close();
    },
  };
}

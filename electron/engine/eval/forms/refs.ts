/**
 * Ref constructors: Ref, Collection/Index/Function/Role/Database/AccessProvider
 * (with optional scope), the native collections, and NewId.
 */
import { invalidArgument } from '../../errors.js';
import { NATIVE_KINDS, Ref, WRITE, nativeRef, schemaRef, type NativeKind, type Value } from '../../values/value.js';
import { castRef, castString, typeName } from '../cast.js';
import { defineFunction, type Site } from '../registry.js';

function scopeOf(v: Value | undefined, site: Site): Ref | null {
  if (v === undefined || v === null) return null;
  const ref = castRef(v, site.at('scope'));
  if (ref.schemaKind !== 'databases') throw invalidArgument(`Database Ref expected, ${typeName(v)} provided.`, site.at('scope'));
  return ref;
}

const SCHEMA_FORMS: [string, NativeKind][] = [
  ['collection', 'collections'],
  ['class', 'collections'],
  ['index', 'indexes'],
  ['function', 'functions'],
  ['role', 'roles'],
  ['database', 'databases'],
  ['access_provider', 'access_providers'],
];

for (const [key, kind] of SCHEMA_FORMS) {
  defineFunction({
    keys: [key],
    optional: ['scope'],
    foldable: true,
    impl(_ctx, [name, scope], site) {
      return schemaRef(kind, castString(name, site.at(key)), scopeOf(scope, site));
    },
  });
}

const NATIVE_FORMS: [string, NativeKind][] = [...NATIVE_KINDS.map((k) => [k, k] as [string, NativeKind]), ['classes', 'collections']];

for (const [key, kind] of NATIVE_FORMS) {
  defineFunction({
    keys: [key],
    foldable: true,
    impl(_ctx, [scope], site) {
      if (scope === null || scope === undefined) return nativeRef(kind);
      const db = castRef(scope, site.at(key));
      if (db.schemaKind !== 'databases') throw invalidArgument(`Database Ref expected, ${typeName(scope)} provided.`, site.at(key));
      return nativeRef(kind, db);
    },
  });
}

/** `Ref(collection, id)`: the id must be a number or a numeric string. */
defineFunction({
  keys: ['ref', 'id'],
  optional: ['scope'],
  foldable: true,
  impl(_ctx, [coll, id, scope], site) {
    let collection = castRef(coll, site.at('ref'));
    let idText: string;
    if (typeof id === 'bigint') idText = id.toString();
    else if (typeof id === 'string') idText = id;
    else throw invalidArgument(`Number or numeric String expected, ${typeName(id)} provided.`, site.at('id'));
    if (!/^\d+$/.test(idText)) throw invalidArgument(`Number or numeric String expected, non-numeric '${idText}' provided.`, site.at('id'));
    if (BigInt(idText) > 9223372036854775807n) throw invalidArgument(`The id provided is too large: '${idText}'`, site.at('id'));
    if (scope !== undefined && scope !== null) {
      const db = scopeOf(scope, site);
      collection = new Ref(collection.id, collection.collection === null ? null : nativeRef(collection.collection.id as NativeKind, db), collection.database);
    }
    return new Ref(BigInt(idText).toString(), collection);
  },
});

for (const key of ['new_id', 'next_id']) {
  defineFunction({
    keys: [key],
    // A fresh id is derived from the transaction's unique timestamp, so the query runs as a write.
    effect: WRITE,
    impl(ctx) {
      return ctx.txn.newId().toString();
    },
  });
}

// CommonJS interop for graphology packages: their .d.ts say `export default` while Node hands ESM importers
// module.exports itself, so TypeScript (NodeNext) sees a namespace. This resolves either shape once, typed.

/** The callable default export of a CommonJS module imported from ESM. */
export function cjsDefault<T>(mod: { default: T } | T): T {
  const m = mod as { default?: T };
  return (m.default ?? mod) as T;
}

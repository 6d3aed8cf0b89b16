/**
 * `compute` memoised on its argument's identity: what a view derives from a value (a view's rows,
 * a Renew all's progress) is computed once per value, not at every render. Not preact/hooks'
 * useMemo: the popup's bundle shares that module with the pages, and useMemo is not in it.
 */
export function once<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, compute(key));
    return cache.get(key) as V;
  };
}

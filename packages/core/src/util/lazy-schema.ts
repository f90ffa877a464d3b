/**
 * Schemas built on first use. A zod schema costs time and memory to construct (a `z.object` with its nested
 * fields allocates hundreds of objects), and a module that exports ten of them would build all ten whenever it is
 * imported, although `serve` answering `/health` or `run` sending its first request needs none of them. A lazy
 * schema is a stand-in with the same type: the first property read (`.parse`, `.shape`, `.optional()`, use inside
 * another schema...) builds the real schema once, and every later read goes to it.
 */

let builds = 0;

/**
 * How many lazy schemas have been built in this process. For tests that prove a path (serve's `/health`, an auth
 * failure) builds none.
 */
export function lazySchemaBuilds(): number {
  return builds;
}

/**
 * A schema (or any object) built by `build` on first use. The stand-in forwards every read, `in`, key listing and
 * prototype lookup (so `instanceof` and zod's own trait checks hold) to the built object. Functions read from it
 * are bound to the built object, so methods keep working when passed around.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let real: T | undefined;
  const get = (): T => {
    if (real === undefined) {
      real = build();
      builds++;
    }
    return real;
  };
  return new Proxy({} as T, {
    get(_target, key) {
      const target = get();
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" && key !== "constructor"
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
    set(_target, key, value) {
      return Reflect.set(get(), key, value);
    },
    has(_target, key) {
      return Reflect.has(get(), key);
    },
    ownKeys() {
      return Reflect.ownKeys(get());
    },
    getOwnPropertyDescriptor(_target, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(get(), key);
      // The stand-in's own (empty) target holds none of these, so the proxy may only report them configurable.
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
    getPrototypeOf() {
      return Reflect.getPrototypeOf(get());
    },
    defineProperty(_target, key, descriptor) {
      return Reflect.defineProperty(get(), key, descriptor);
    },
    deleteProperty(_target, key) {
      return Reflect.deleteProperty(get(), key);
    },
  });
}

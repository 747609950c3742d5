/** Runs async critical sections one at a time, in the order they asked. */
export type Mutex = <T>(section: () => Promise<T>) => Promise<T>;

export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return (section) => {
    const result = tail.then(section);
    tail = result.catch(() => undefined);
    return result;
  };
}

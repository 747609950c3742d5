/** A binary max-heap of items under `before` (positive when `a` goes first). */
export interface Heap<T> {
  push(item: T): void;
  pop(): T | undefined;
  peek(): T | undefined;
  size(): number;
}

export function createHeap<T>(before: (a: T, b: T) => number): Heap<T> {
  const heap: T[] = [];
  return {
    push(item) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (before(heap[i]!, heap[parent]!) <= 0) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    },
    pop() {
      const top = heap[0];
      const last = heap.pop();
      if (heap.length > 0 && last !== undefined) {
        heap[0] = last;
        for (let i = 0; ;) {
          const left = 2 * i + 1;
          const right = left + 1;
          let best = i;
          if (left < heap.length && before(heap[left]!, heap[best]!) > 0) best = left;
          if (right < heap.length && before(heap[right]!, heap[best]!) > 0) best = right;
          if (best === i) break;
          [heap[i], heap[best]] = [heap[best]!, heap[i]!];
          i = best;
        }
      }
      return top;
    },
    peek: () => heap[0],
    size: () => heap.length,
  };
}

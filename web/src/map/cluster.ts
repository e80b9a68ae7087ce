export interface PixelPoint<Value> {
  x: number;
  y: number;
  value: Value;
}

export interface Cluster<Value> {
  /** Mean position of the members, in the same pixel space as the input. */
  x: number;
  y: number;
  members: Value[];
}

/**
 * Groups points that fall into the same square cell of `cellSize` pixels.
 * Cheap and predictable: good enough to keep a dense map readable, and a
 * single point stays a cluster of one.
 *
 * @example
 * gridCluster([{ x: 1, y: 1, value: 'a' }, { x: 3, y: 2, value: 'b' }], 40) // one cluster of two
 */
export function gridCluster<Value>(points: readonly PixelPoint<Value>[], cellSize: number): Cluster<Value>[] {
  const cells = new Map<string, { sumX: number; sumY: number; members: Value[] }>();
  for (const point of points) {
    const key = `${Math.floor(point.x / cellSize)}:${Math.floor(point.y / cellSize)}`;
    const cell = cells.get(key);
    if (cell === undefined) cells.set(key, { sumX: point.x, sumY: point.y, members: [point.value] });
    else {
      cell.sumX += point.x;
      cell.sumY += point.y;
      cell.members.push(point.value);
    }
  }
  return [...cells.values()].map((cell) => ({
    x: cell.sumX / cell.members.length,
    y: cell.sumY / cell.members.length,
    members: cell.members,
  }));
}

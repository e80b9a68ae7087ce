/**
 * Whether a site's outline is a valid polygon (OGC Simple Features rules, on the plane of longitude and latitude,
 * which is how the map draws it): every ring encloses an area, no ring crosses or touches itself, and every hole
 * lies inside its outer ring. Pure functions, used by the zod schema of the site's area.
 */

type Position = readonly [number, number];

/** One reason a polygon is invalid, with the index of the ring (0 the outer ring, 1… the holes). */
export interface RingProblem {
  ring: number;
  code: 'ring_zero_area' | 'ring_self_intersecting' | 'hole_outside_shell';
  message: string;
}

/** The ring without repeated consecutive positions (harmless, but they make zero-length edges). */
function distinct(ring: readonly Position[]): Position[] {
  return ring.filter((position, index) => {
    const previous = ring[index - 1];
    return previous === undefined || previous[0] !== position[0] || previous[1] !== position[1];
  });
}

/** Twice the signed area (shoelace formula) of a closed ring. */
function doubleArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let index = 0; index + 1 < ring.length; index += 1) {
    const [x1, y1] = ring[index]!;
    const [x2, y2] = ring[index + 1]!;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

const orientation = (a: Position, b: Position, c: Position) => {
  const value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return value === 0 ? 0 : value > 0 ? 1 : -1;
};

const onSegment = (a: Position, b: Position, p: Position) =>
  Math.min(a[0], b[0]) <= p[0] &&
  p[0] <= Math.max(a[0], b[0]) &&
  Math.min(a[1], b[1]) <= p[1] &&
  p[1] <= Math.max(a[1], b[1]);

/** Whether segments ab and cd share any point (crossing, touching or overlapping). */
function segmentsMeet(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(a, b, c)) ||
    (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) ||
    (o4 === 0 && onSegment(c, d, b))
  );
}

/** Whether segments ab and cd cross at a point inside both (not merely touching at an end). */
function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

/** Whether the ring (closed, without repeated consecutive positions) touches or crosses itself. */
function selfIntersects(ring: readonly Position[]): boolean {
  const edges = ring.length - 1;
  for (let i = 0; i < edges; i += 1) {
    for (let j = i + 1; j < edges; j += 1) {
      const adjacent = j === i + 1 || (i === 0 && j === edges - 1);
      const [a, b, c, d] = [ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!];
      if (adjacent) {
        // Neighbours share one end; they may not fold back over each other.
        const shared = j === i + 1 ? b : a;
        const [other1, other2] = j === i + 1 ? [a, d] : [b, c];
        if (orientation(other1, shared, other2) === 0 && onSegment(shared, other1, other2)) return true;
        if (orientation(other2, shared, other1) === 0 && onSegment(shared, other2, other1)) return true;
        continue;
      }
      if (segmentsMeet(a, b, c, d)) return true;
    }
  }
  return false;
}

/** Whether a point is inside the ring or on its boundary (even-odd rule). */
function insideOrOn(point: Position, ring: readonly Position[]): boolean {
  let inside = false;
  for (let index = 0; index + 1 < ring.length; index += 1) {
    const a = ring[index]!;
    const b = ring[index + 1]!;
    if (orientation(a, b, point) === 0 && onSegment(a, b, point)) return true;
    if (a[1] > point[1] !== b[1] > point[1]) {
      const x = a[0] + ((point[1] - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
      if (point[0] < x) inside = !inside;
    }
  }
  return inside;
}

/**
 * Every problem of one polygon's rings (its outer ring first, then its holes); empty when it is valid. Rings are
 * expected closed (the schema checks that first).
 *
 * @example
 * polygonProblems([[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]) // a bow-tie: ring_self_intersecting
 */
export function polygonProblems(rings: readonly (readonly Position[])[]): RingProblem[] {
  const problems: RingProblem[] = [];
  const cleaned = rings.map(distinct);
  cleaned.forEach((ring, index) => {
    const what = index === 0 ? 'the outer ring' : `hole ${index}`;
    // A ring on one line encloses nothing; a symmetric bow-tie also sums to zero area, but it crosses itself.
    const collinear = ring.every((point) => orientation(ring[0]!, ring[1] ?? ring[0]!, point) === 0);
    if (ring.length < 4 || collinear) {
      problems.push({ ring: index, code: 'ring_zero_area', message: `${what} encloses no area` });
    } else if (selfIntersects(ring)) {
      problems.push({ ring: index, code: 'ring_self_intersecting', message: `${what} crosses or touches itself` });
    } else if (doubleArea(ring) === 0) {
      problems.push({ ring: index, code: 'ring_zero_area', message: `${what} encloses no area` });
    }
  });
  if (problems.length > 0) return problems;
  const shell = cleaned[0]!;
  cleaned.slice(1).forEach((hole, offset) => {
    const crosses = hole.some((point, index) => {
      const next = hole[index + 1];
      if (next === undefined) return false;
      return shell.some((a, edge) => {
        const b = shell[edge + 1];
        return b !== undefined && segmentsCross(point, next, a, b);
      });
    });
    if (crosses || !hole.every((point) => insideOrOn(point, shell))) {
      problems.push({
        ring: offset + 1,
        code: 'hole_outside_shell',
        message: `hole ${offset + 1} is not inside the outer ring`,
      });
    }
  });
  return problems;
}

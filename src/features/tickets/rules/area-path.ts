/** Area paths are the zone-down names joined by "/" ("平房区/团结巷/3号院"), as stored on Area.path. */

/** The first `depth` segments of a path (depth 1 → "平房区"); "" for an empty path. */
export function areaAtDepth(path: string, depth: number): string {
  return path.split('/').filter((s) => s !== '').slice(0, depth).join('/');
}

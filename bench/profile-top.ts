/**
 * Summarise a V8 CPU profile (`node --cpu-prof`, as `npm run bench -- --cpu-prof` writes for each
 * server child): the functions with the most self time, with their file and line.
 *
 *   npx tsx bench/profile-top.ts bench/results/profiles-<date>/<scenario>.cpuprofile [N]
 */
import { readFileSync } from 'node:fs'

interface ProfileNode { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }
interface Profile { nodes: ProfileNode[], samples: number[], timeDeltas: number[] }

/** Self time in ms per function of a CPU profile, largest first. */
export function topSelfTime (profile: Profile, n = 25): Array<{ ms: number, share: number, fn: string }> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000
    const f = byId.get(id)?.callFrame
    const key = f === undefined ? '?' : `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*?\/main\//, '')}:${f.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + dt)
    total += dt
  })
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([fn, ms]) => ({ ms: Math.round(ms), share: ms / total, fn }))
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  const profile = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Profile
  for (const row of topSelfTime(profile, Number(process.argv[3] ?? 25))) {
    console.log(`${String(row.ms).padStart(7)} ms ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.fn}`)
  }
}

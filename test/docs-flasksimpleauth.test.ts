// docs/reference/flasksimpleauth.md stays a complete and honest table: every FlaskSimpleAuth
// directive (the list of its reference, ../shared/reference/flasksimpleauth-directives.md) has a
// row, every row has one status, and the counts at the end are the rows' counts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'

const TABLE = readFileSync(new URL('../docs/reference/flasksimpleauth.md', import.meta.url), 'utf8')

/** Every directive of FlaskSimpleAuth 35.5 (its documentation's plural spellings are rejected by it). */
const DIRECTIVES = [
  '401_REDIRECT', 'ADD_HEADERS', 'AFTER_REQUEST', 'ALLOW_DEPRECATION', 'AUTHENTICATION', 'AUTHZ_GROUPS', 'AUTHZ_SCOPES',
  'AUTH_DEFAULT', 'AUTH', 'BEFORE_EXEC', 'BEFORE_REQUEST', 'CACHED_OPTS', 'CACHE_OPTS', 'CACHE_PREFIX', 'CACHE_SIZE',
  'CACHE', 'CAST', 'CORS_OPTS', 'CORS', 'DEFAULT_CONTENT_TYPE', 'ERROR_RESPONSE', 'FAKE_LOGIN', 'GET_USER_PASS',
  'GROUP_CHECK', 'HANDLE_ALL_ERRORS', 'HTTP_AUTH_OPTS', 'JSON_ALLSTR', 'JSON_CONVERTER', 'JSON_STREAMING',
  'KEEP_USER_ERRORS', 'LOCAL', 'LOGGING_LEVEL', 'MODE', 'NOT_FOUND_ERROR', 'OBJECT_PERMS', 'PARAM_PASS', 'PARAM_USER',
  'PASSWORD_CHECK', 'PASSWORD_LENGTH', 'PASSWORD_OPTS', 'PASSWORD_QUALITY', 'PASSWORD_RE', 'PASSWORD_SCHEME',
  'PATH_CHECK', 'REALM', 'REJECT_UNEXPECTED_PARAM', 'SECURE', 'SERVER_ERROR', 'SPECIAL_PARAMETER', 'TOKEN_ALGO',
  'TOKEN_CARRIER', 'TOKEN_DELAY', 'TOKEN_GRACE', 'TOKEN_ISSUER', 'TOKEN_LENGTH', 'TOKEN_NAME', 'TOKEN_RENEWAL',
  'TOKEN_SECRET', 'TOKEN_SIGN', 'TOKEN_TYPE', 'URL_NAME', 'USER_IN_GROUP'
].map((d) => `FSA_${d}`)

/** The methods of FlaskSimpleAuth's `app` (its API table), each named in some row. */
const METHODS = [
  'get_user_pass', 'user_in_group', 'group_check', 'object_perms', 'password_quality', 'password_check', 'authentication',
  'cast', 'special_parameter', 'error_response', 'path_check', 'before_exec', 'add_group', 'add_scope', 'add_headers',
  'add_json_converter', 'get_user', 'current_user', 'user_scope', 'hash_password', 'check_password', 'check_user_password',
  'create_token', 'clear_caches', 'password_uncache', 'token_uncache', 'user_token_uncache', 'group_uncache',
  'object_perms_uncache', 'auth_uncache', 'make_response', 'register_blueprint', 'add_url_rule', 'checkPath', 'jsonify', 'Reference', 'test_client'
]

const STATUSES = ['done', 'partial', 'missing', 'different', 'n.a.'] as const

interface Row { name: string, status: string }

/** The rows of the section tables (three columns, the status in the middle). */
function rows (markdown: string): Row[] {
  const out: Row[] = []
  for (const line of markdown.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim())
    if (cells.length !== 3 || cells[1] === 'status' || /^-+$/.test(cells[1] ?? '')) continue
    out.push({ name: cells[0] as string, status: cells[1] as string })
  }
  return out
}

test('every FlaskSimpleAuth directive and app method has a row', () => {
  const names = rows(TABLE).map((r) => r.name).join('\n')
  for (const directive of DIRECTIVES) assert.match(names, new RegExp(`\`${directive}\``), directive)
  for (const method of METHODS) assert.match(names, new RegExp(`\\b${method}\\b`), method)
})

test('every row has one status, and the counts are the rows\'', () => {
  const all = rows(TABLE)
  assert.ok(all.length > 100, `${all.length} rows`)
  const counts = new Map<string, number>(STATUSES.map((s) => [s, 0]))
  for (const row of all) {
    const status = /^missing \(issue \d+\)$/.test(row.status) ? 'missing' : row.status
    assert.ok(counts.has(status), `${row.name}: status "${row.status}"`)
    counts.set(status, (counts.get(status) ?? 0) + 1)
  }
  const summary = /\| done \| partial \| missing \| different \| n\.a\. \| rows \|\n\|[-|]+\|\n\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|/.exec(TABLE)
  assert.ok(summary !== null, 'the counts table')
  assert.deepEqual(summary.slice(1).map(Number), [...STATUSES.map((s) => counts.get(s)), all.length])
  // the redirect of a 401 is the pages issue's, with its difference recorded
  const redirect = all.find((r) => r.name === '`FSA_401_REDIRECT`')
  assert.equal(redirect?.status, 'missing (issue 15)')
  assert.match(TABLE, /FSA_401_REDIRECT` \| missing \(issue 15\) \| [^|]*307[^|]*303/)
})

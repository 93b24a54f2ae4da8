// The client address throttling counts by (issue 13): IPv6 by /64, IPv4-mapped as IPv4.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addressGroup } from '../lib/throttle/address.js'

test('IPv6 addresses group by their /64, whatever their spelling', () => {
  assert.equal(addressGroup('2001:db8:1:2::1'), '2001:db8:1:2::/64')
  assert.equal(addressGroup('2001:0DB8:0001:0002:ffff:1:2:3'), '2001:db8:1:2::/64')
  assert.equal(addressGroup('2001:db8::1'), '2001:db8:0:0::/64')
  assert.equal(addressGroup('::1'), '0:0:0:0::/64')
  assert.equal(addressGroup('fe80::1%eth0'), 'fe80:0:0:0::/64')
  assert.notEqual(addressGroup('2001:db8:1:2::1'), addressGroup('2001:db8:1:3::1'))
})

test('IPv4 stays as is, IPv4-mapped IPv6 counts as its IPv4 address', () => {
  assert.equal(addressGroup('203.0.113.9'), '203.0.113.9')
  assert.equal(addressGroup('::ffff:203.0.113.9'), '203.0.113.9')
  assert.equal(addressGroup('::FFFF:203.0.113.9'), '203.0.113.9')
})

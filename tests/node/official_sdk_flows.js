#!/usr/bin/env node
// Runs the official LoginRadius Node.js SDK (npm `loginradius-sdk`), unchanged, against the
// LoginRadius emulator: login, profile and roles, without request signing (the SDK's signing
// is broken: it signs `options.uri`, which it never sets, with a local-time expiry).
//
// The SDK always speaks HTTPS to `apiDomain` on port 443 and has no setting for a scheme or a
// port, so this script sends the SDK's requests to the emulator's plain-HTTP loopback address by
// replacing `https.request` with `http.request` on the emulator's host and port. Nothing else
// about the requests changes: path, query, headers and body are the SDK's own.
//
// Driven by tests/tests/node_sdk.rs, which starts the emulator with a verified user and passes:
//   LOGINRADIUS_NODE_SDK   the installed package directory (node_modules/loginradius-sdk)
//   LOGINRADIUS_BASE_URL, LOGINRADIUS_API_KEY, LOGINRADIUS_API_SECRET, LOGINRADIUS_EMAIL,
//   LOGINRADIUS_PASSWORD
// Every result is asserted; the script exits non-zero on the first failure.
'use strict';

const http = require('http');
const https = require('https');
const assert = require('assert');

function env(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`missing environment variable ${name}`);
    process.exit(2);
  }
  return value;
}

const base = new URL(env('LOGINRADIUS_BASE_URL'));
const email = env('LOGINRADIUS_EMAIL');
const password = env('LOGINRADIUS_PASSWORD');

https.request = function (options, callback) {
  return http.request(
    Object.assign({}, options, { protocol: 'http:', hostname: base.hostname, port: base.port }),
    callback
  );
};

const lr = require(env('LOGINRADIUS_NODE_SDK'))({
  apiKey: env('LOGINRADIUS_API_KEY'),
  apiSecret: env('LOGINRADIUS_API_SECRET'),
  apiDomain: base.host
});

function ok(what) {
  console.log(`    ok: ${what}`);
}

async function expectError(promise, code, what) {
  let answer;
  try {
    answer = await promise;
  } catch (error) {
    assert.strictEqual(error && error.ErrorCode, code, `${what}: ${JSON.stringify(error)}`);
    assert.ok(error.Message && error.Description, `${what}: the envelope has Message and Description`);
    ok(`${what} (error ${code})`);
    return;
  }
  assert.fail(`${what}: expected error ${code}, got ${JSON.stringify(answer)}`);
}

async function main() {
  console.log(`==> login and profile of ${email}`);
  const login = await lr.authenticationApi.loginByEmail({ email, password });
  assert.ok(login.access_token, `the login answers an access token: ${JSON.stringify(login)}`);
  assert.strictEqual(login.Profile.Email[0].Value, email);
  ok('authenticationApi.loginByEmail');
  await expectError(
    lr.authenticationApi.loginByEmail({ email, password: 'not-the-password' }),
    966,
    'login with a wrong password'
  );

  const profile = await lr.authenticationApi.getProfileByAccessToken(login.access_token);
  assert.strictEqual(profile.Uid, login.Profile.Uid);
  assert.strictEqual(profile.Email[0].Value, email);
  ok('authenticationApi.getProfileByAccessToken');
  await expectError(
    lr.authenticationApi.getProfileByAccessToken('d3b07384-d9a0-4c9b-8f1e-000000000000'),
    905,
    'profile with an unknown token'
  );

  console.log('==> roles: create, list, assign, get');
  const created = await lr.roleApi.createRoles({
    roles: [{ name: 'nodeeditor', permissions: { publish: true } }]
  });
  assert.deepStrictEqual(created.data.map((r) => r.Name), ['nodeeditor']);
  ok('roleApi.createRoles');
  const listed = await lr.roleApi.getRolesList();
  assert.ok(listed.data.some((r) => r.Name === 'nodeeditor'), JSON.stringify(listed));
  ok('roleApi.getRolesList');
  const assigned = await lr.roleApi.assignRolesByUid({ roles: ['nodeeditor'] }, profile.Uid);
  assert.deepStrictEqual(assigned.Roles, ['nodeeditor']);
  ok('roleApi.assignRolesByUid');
  const roles = await lr.roleApi.getRolesByUid(profile.Uid);
  assert.deepStrictEqual(roles.Roles, ['nodeeditor']);
  ok('roleApi.getRolesByUid');
  await expectError(
    lr.roleApi.assignRolesByUid({ roles: ['ghost'] }, profile.Uid),
    1047,
    'assigning an unknown role'
  );

  console.log('all official Node SDK flows passed');
}

main().catch((error) => {
  console.error('FAILED:', error && error.stack ? error.stack : JSON.stringify(error));
  process.exit(1);
});

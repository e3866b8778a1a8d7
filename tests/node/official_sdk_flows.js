#!/usr/bin/env node
// Runs the official LoginRadius Node.js SDK (npm `loginradius-sdk`), unchanged, against the
// LoginRadius emulator, without request signing (the SDK's signing is broken: it signs
// `options.uri`, which it never sets, with a local-time expiry): login, profile, roles, consent
// (submit, verify, update, logs), phone registration with a SOTT, SMS-code verification and phone
// login, an email one-time code as the second factor, and PIN (set, then log in with it) on a
// PIN-login emulator. One-time codes are read from the emulator outbox (`GET /emulator/outbox`,
// field `otp`).
//
// The SDK always speaks HTTPS to `apiDomain` on port 443 and has no setting for a scheme or a
// port, so this script sends the SDK's requests to the emulator's plain-HTTP loopback address by
// replacing `https.request` with `http.request` on the host and port the SDK was configured with
// (`apiDomain` is the emulator's `host:port`). Nothing else about the requests changes: path,
// query, headers and body are the SDK's own.
//
// Driven by tests/tests/node_sdk.rs, which starts the emulators (MFA optional, email verification
// required; and one with PIN login), each with verified users, and passes:
//   LOGINRADIUS_NODE_SDK   the installed package directory (node_modules/loginradius-sdk)
//   LOGINRADIUS_BASE_URL, LOGINRADIUS_API_KEY, LOGINRADIUS_API_SECRET, LOGINRADIUS_EMAIL,
//   LOGINRADIUS_PASSWORD, LOGINRADIUS_OTP_EMAIL (a second user, for the email code),
//   LOGINRADIUS_PIN_BASE_URL, LOGINRADIUS_PIN_EMAIL (a user of the PIN emulator)
//   LOGINRADIUS_CONSENT_BASE_URL, LOGINRADIUS_CONSENT_EMAIL (a user of an emulator that asks
//   for consent at sign-in)
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

const pinBase = new URL(env('LOGINRADIUS_PIN_BASE_URL'));
const otpEmail = env('LOGINRADIUS_OTP_EMAIL');
const pinEmail = env('LOGINRADIUS_PIN_EMAIL');
const consentBase = new URL(env('LOGINRADIUS_CONSENT_BASE_URL'));
const consentEmail = env('LOGINRADIUS_CONSENT_EMAIL');
const emulators = [base.host, pinBase.host, consentBase.host];

https.request = function (options, callback) {
  // The SDK puts `apiDomain` (here the emulator's `host:port`) in `options.hostname`.
  assert.ok(emulators.includes(options.hostname), `an emulator host: ${options.hostname}`);
  const target = new URL(`http://${options.hostname}`);
  return http.request(
    Object.assign({}, options, { protocol: 'http:', hostname: target.hostname, port: target.port }),
    callback
  );
};

function sdk(url) {
  return require(env('LOGINRADIUS_NODE_SDK'))({
    apiKey: env('LOGINRADIUS_API_KEY'),
    apiSecret: env('LOGINRADIUS_API_SECRET'),
    apiDomain: url.host
  });
}

const lr = sdk(base);

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

// The one-time code (`otp`) of the newest outbox message of `kind` to `to`.
async function outboxOtp(url, to, kind) {
  const answer = await fetch(new URL('/emulator/outbox', url));
  assert.strictEqual(answer.status, 200, 'the outbox answers');
  const messages = (await answer.json()).messages.filter(
    (m) => m.to.toLowerCase() === to.toLowerCase() && m.type === kind
  );
  assert.ok(messages.length > 0, `a ${kind} message to ${to} in the outbox`);
  const code = messages[messages.length - 1].otp;
  assert.ok(/^[0-9]+$/.test(code || ''), `the ${kind} message carries a numeric code`);
  return code;
}

// A code of the same length that is not `code`.
function otherCode(code) {
  return String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');
}

async function phoneFlow(phone) {
  console.log(`==> phone registration of ${phone} with a SOTT, SMS code verification, phone login`);
  const phoneApi = lr.phoneAuthenticationApi;
  assert.strictEqual((await phoneApi.checkPhoneNumberAvailability(phone)).IsExist, false);
  ok('phoneAuthenticationApi.checkPhoneNumberAvailability (free)');
  const issued = await lr.sottApi.generateSott(10);
  assert.ok((issued.Sott || '').includes('*'), `a SOTT: ${JSON.stringify(issued)}`);
  ok('sottApi.generateSott');
  const registered = await phoneApi.userRegistrationByPhone(
    { PhoneId: phone, Password: password, FirstName: 'Phone' },
    issued.Sott
  );
  assert.strictEqual(registered.IsPosted, true, JSON.stringify(registered));
  ok('phoneAuthenticationApi.userRegistrationByPhone');
  assert.strictEqual((await phoneApi.checkPhoneNumberAvailability(phone)).IsExist, true);
  ok('phoneAuthenticationApi.checkPhoneNumberAvailability (taken)');
  await expectError(
    phoneApi.loginByPhone({ phone, password }),
    1066,
    'phone login before the number is verified'
  );

  const code = await outboxOtp(base, phone, 'sms_phone_verification');
  await expectError(phoneApi.phoneVerificationByOTP(otherCode(code), phone), 1067, 'a wrong SMS code');
  const verified = await phoneApi.phoneVerificationByOTP(code, phone);
  assert.ok(verified.access_token, JSON.stringify(verified));
  assert.strictEqual(verified.Profile.PhoneId, phone);
  assert.strictEqual(verified.Profile.PhoneIdVerified, true);
  ok('phoneAuthenticationApi.phoneVerificationByOTP');
  await expectError(phoneApi.phoneVerificationByOTP(code, phone), 1073, 'the same code again');

  const login = await phoneApi.loginByPhone({ phone, password });
  assert.ok(login.access_token, JSON.stringify(login));
  assert.strictEqual(login.Profile.Uid, verified.Profile.Uid);
  ok('phoneAuthenticationApi.loginByPhone');
  const profile = await lr.authenticationApi.getProfileByAccessToken(login.access_token);
  assert.strictEqual(profile.FirstName, 'Phone');
  ok('profile after the phone login');
  await expectError(
    phoneApi.loginByPhone({ phone, password: 'wrong-password-1' }),
    966,
    'phone login with a wrong password'
  );
}

async function emailOtpMfaFlow(address) {
  console.log(`==> MFA: an email one-time code as the second factor of ${address}'s login`);
  const mfa = lr.multiFactorAuthenticationApi;
  const login = await lr.authenticationApi.loginByEmail({ email: address, password });
  assert.ok(login.access_token, JSON.stringify(login));
  ok('authenticationApi.loginByEmail');
  const sent = await mfa.mfaEmailOtpByAccessToken(login.access_token, address);
  assert.strictEqual(sent.IsPosted, true, JSON.stringify(sent));
  ok('multiFactorAuthenticationApi.mfaEmailOtpByAccessToken');
  let code = await outboxOtp(base, address, 'email_second_factor');
  await expectError(
    mfa.mfaValidateEmailOtpByAccessToken(login.access_token, { EmailId: address, Otp: otherCode(code) }),
    1188,
    'a wrong email code at setup'
  );
  const enabled = await mfa.mfaValidateEmailOtpByAccessToken(login.access_token, { EmailId: address, Otp: code });
  assert.strictEqual(enabled.Email[0].Value, address, JSON.stringify(enabled));
  ok('multiFactorAuthenticationApi.mfaValidateEmailOtpByAccessToken (enable)');

  await expectError(
    lr.authenticationApi.loginByEmail({ email: address, password }),
    1176,
    'plain login once the email factor is enabled'
  );
  const first = await mfa.mfaLoginByEmail(address, password);
  const challenge = first.SecondFactorAuthentication || {};
  const token = challenge.SecondFactorAuthenticationToken;
  assert.ok(token, `the 2FA login returns the challenge: ${JSON.stringify(first)}`);
  assert.strictEqual(challenge.IsEmailOtpAuthenticatorVerified, true);
  ok('multiFactorAuthenticationApi.mfaLoginByEmail');
  const resent = await mfa.mfaEmailOTP({ EmailId: address }, token);
  assert.strictEqual(resent.IsPosted, true, JSON.stringify(resent));
  ok('multiFactorAuthenticationApi.mfaEmailOTP');
  code = await outboxOtp(base, address, 'email_second_factor');
  await expectError(
    mfa.mfaValidateEmailOtp({ EmailId: address, Otp: otherCode(code) }, token),
    1188,
    'a wrong email code at login'
  );
  const signedIn = await mfa.mfaValidateEmailOtp({ EmailId: address, Otp: code }, token);
  assert.ok(signedIn.access_token, JSON.stringify(signedIn));
  ok('multiFactorAuthenticationApi.mfaValidateEmailOtp');
  const profile = await lr.authenticationApi.getProfileByAccessToken(signedIn.access_token);
  assert.strictEqual(profile.Email[0].Value, address);
  ok('profile after the email-code login');
}

async function pinFlow() {
  console.log(`==> PIN (a PIN-login site): ${pinEmail} sets a PIN, then logs in with it`);
  const pinLr = sdk(pinBase);
  const pin = pinLr.pinAuthenticationApi;
  const first = await pinLr.authenticationApi.loginByEmail({ email: pinEmail, password });
  assert.ok(first.pinAuthToken, `the first login asks for a PIN: ${Object.keys(first)}`);
  assert.ok(!first.session_token, 'no session token before a PIN is set');
  ok('authenticationApi.loginByEmail (asks for a PIN)');
  await expectError(pin.setPINByPinAuthToken({ pin: '4321' }, 'not-a-token'), 1239, 'an unknown PIN auth token');
  const set = await pin.setPINByPinAuthToken({ pin: '4321' }, first.pinAuthToken);
  assert.ok(set.access_token, JSON.stringify(set));
  const validated = await pinLr.authenticationApi.authValidateAccessToken(set.access_token);
  assert.strictEqual(validated.access_token, set.access_token, JSON.stringify(validated));
  ok('pinAuthenticationApi.setPINByPinAuthToken');

  const second = await pinLr.authenticationApi.loginByEmail({ email: pinEmail, password });
  assert.ok(second.session_token, `the next login answers a session token: ${Object.keys(second)}`);
  await expectError(pin.pinLogin({ pin: '0000' }, second.session_token), 1236, 'a wrong PIN');
  const login = await pin.pinLogin({ pin: '4321' }, second.session_token);
  assert.ok(login.access_token, JSON.stringify(login));
  ok('pinAuthenticationApi.pinLogin');
  const profile = await pinLr.authenticationApi.getProfileByAccessToken(login.access_token);
  assert.strictEqual(profile.Email[0].Value, pinEmail);
  ok('profile after the PIN login');
  await expectError(pin.pinLogin({ pin: '4321' }, second.session_token), 1245, 'the session token again');

  const third = await pinLr.authenticationApi.loginByEmail({ email: pinEmail, password });
  assert.ok(third.session_token, 'the third login answers a session token');
  const revoked = await pin.inValidatePinSessionToken(third.session_token);
  assert.strictEqual(revoked.IsPosted, true, JSON.stringify(revoked));
  ok('pinAuthenticationApi.inValidatePinSessionToken');
  await expectError(pin.pinLogin({ pin: '4321' }, third.session_token), 1245, 'a revoked session token');
}

// A site that asks for consent at sign-in: the login is error 1226 with a ConsentToken, which
// submitConsentByConsentToken turns into the login.
async function consentTokenFlow() {
  console.log(`==> consent at sign-in: ${consentEmail} accepts the Login form, then signs in`);
  const consentLr = sdk(consentBase);
  let waiting;
  try {
    waiting = await consentLr.authenticationApi.loginByEmail({ email: consentEmail, password });
  } catch (error) {
    waiting = error;
  }
  assert.strictEqual(waiting && waiting.ErrorCode, 1226, JSON.stringify(waiting));
  assert.ok(waiting.ConsentToken, `the error carries a ConsentToken: ${JSON.stringify(waiting)}`);
  assert.ok(!waiting.access_token, 'no access token before consent');
  ok('authenticationApi.loginByEmail (error 1226 with a ConsentToken)');
  const form = {
    data: [
      { consentOptionId: 'email_consent', isAccepted: true },
      { consentOptionId: 'marketing_consent', isAccepted: false }
    ],
    events: [{ event: 'Login', isCustom: false }]
  };
  const cm = consentLr.consentManagementApi;
  await expectError(cm.submitConsentByConsentToken('not-a-token', form), 1229, 'an unknown consent token');
  const login = await cm.submitConsentByConsentToken(waiting.ConsentToken, form);
  assert.ok(login.access_token, JSON.stringify(login));
  assert.strictEqual(login.Profile.Email[0].Value, consentEmail);
  assert.deepStrictEqual(
    login.Profile.ConsentProfile.AcceptedConsentVersions.map((v) => v.Event),
    ['Login'],
    JSON.stringify(login.Profile.ConsentProfile)
  );
  ok('consentManagementApi.submitConsentByConsentToken (signed in)');
  await expectError(cm.submitConsentByConsentToken(waiting.ConsentToken, form), 1229, 'the consent token again');
  const again = await consentLr.authenticationApi.loginByEmail({ email: consentEmail, password });
  assert.ok(again.access_token, `the next login asks no more: ${JSON.stringify(again)}`);
  ok('authenticationApi.loginByEmail (consent given before)');
}

async function consentFlow(accessToken, uid) {
  console.log('==> consent: submit, verify, update and the logs');
  const consent = lr.consentManagementApi;
  assert.strictEqual((await consent.verifyConsentByAccessToken(accessToken, 'Login', false)).IsValid, false);
  ok('consentManagementApi.verifyConsentByAccessToken (nothing yet)');
  const events = [{ event: 'Login', isCustom: false }];
  await expectError(
    consent.submitConsentByAccessToken(accessToken, {
      data: [{ consentOptionId: 'no_such_option', isAccepted: true }],
      events
    }),
    1225,
    'an unknown consent option'
  );
  const profile = await consent.submitConsentByAccessToken(accessToken, {
    data: [
      { consentOptionId: 'email_consent', isAccepted: true },
      { consentOptionId: 'sms_consent', isAccepted: false }
    ],
    events
  });
  assert.deepStrictEqual(
    profile.ConsentProfile.AcceptedConsentVersions.map((v) => v.Event),
    ['Login'],
    JSON.stringify(profile.ConsentProfile)
  );
  ok('consentManagementApi.submitConsentByAccessToken');
  assert.strictEqual((await consent.verifyConsentByAccessToken(accessToken, 'Login', false)).IsValid, true);
  ok('consentManagementApi.verifyConsentByAccessToken (accepted)');
  const updated = await consent.updateConsentProfileByAccessToken(accessToken, {
    consents: [{ consentOptionId: 'sms_consent', isAccepted: true }]
  });
  assert.deepStrictEqual(
    Object.fromEntries(updated.Consents.map((c) => [c.ConsentOptionId, c.IsAccepted])),
    { email_consent: true, sms_consent: true },
    JSON.stringify(updated)
  );
  ok('consentManagementApi.updateConsentProfileByAccessToken');
  const logs = await consent.getConsentLogs(accessToken);
  assert.strictEqual(logs.ConsentLogs.length, 2, JSON.stringify(logs));
  ok('consentManagementApi.getConsentLogs');
  const byUid = await consent.getConsentLogsByUid(uid);
  assert.strictEqual(byUid.Uid, uid);
  assert.strictEqual(byUid.ConsentLogs.length, 2);
  assert.strictEqual(byUid.ConsentLogs[1].UpdateType, 'ConsentEditor');
  ok('consentManagementApi.getConsentLogsByUid');
  await expectError(
    consent.submitConsentByConsentToken('not-a-token', {
      data: [{ consentOptionId: 'email_consent', isAccepted: true }],
      events
    }),
    1229,
    'an unknown consent token'
  );
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

  await consentFlow(login.access_token, profile.Uid);
  await phoneFlow('+16045552368');
  await emailOtpMfaFlow(otpEmail);
  await pinFlow();
  await consentTokenFlow();

  console.log('all official Node SDK flows passed');
}

main().catch((error) => {
  console.error('FAILED:', error && error.stack ? error.stack : JSON.stringify(error));
  process.exit(1);
});

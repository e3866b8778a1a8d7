#!/usr/bin/env python3
"""Runs the official LoginRadius Python SDK (PyPI `loginradius-v2`, module `LoginRadius`),
unchanged, against the LoginRadius emulator through the SDK's custom-domain setting.

Flows: registration with a SOTT and email verification through the emulator outbox, login,
profile, MFA login with an authenticator (TOTP) code, roles (create, assign, get), and signed
`/manage` calls (API_REQUEST_SIGNING = True) against an emulator that requires signing.

Every result is asserted; the script exits non-zero on the first failure.

Driven by `tests/tests/python_sdk.rs`, which starts the emulators and passes:
  --base-url / LOGINRADIUS_BASE_URL                  emulator (email verification required,
                                                     MFA optional)
  --signing-base-url / LOGINRADIUS_SIGNING_BASE_URL  emulator that requires request signing
  --api-key / LOGINRADIUS_API_KEY, --api-secret / LOGINRADIUS_API_SECRET  (same for both)
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import struct
import sys
import time
import traceback
from datetime import datetime, timedelta, timezone

import requests
from LoginRadius import LoginRadius

PASSWORD = "correct-horse-1"


class FlowFailed(Exception):
    pass


def step(title):
    print(f"==> {title}", flush=True)


def ok(result, what):
    """`result` is a successful SDK answer (a dict without `ErrorCode`); returns it."""
    if not isinstance(result, dict):
        raise FlowFailed(f"{what}: expected a JSON object, got {result!r}")
    if result.get("ErrorCode") is not None:
        raise FlowFailed(f"{what}: LoginRadius error {json.dumps(result)}")
    print(f"    ok: {what}", flush=True)
    return result


def error(result, code, what):
    """`result` is the LoginRadius error envelope with `code`."""
    if not isinstance(result, dict) or result.get("ErrorCode") != code:
        raise FlowFailed(f"{what}: expected error {code}, got {json.dumps(result)}")
    for key in ("Message", "Description"):
        if not result.get(key):
            raise FlowFailed(f"{what}: the error envelope has no {key}: {json.dumps(result)}")
    print(f"    ok: {what} (error {code})", flush=True)
    return result


def check(condition, what):
    if not condition:
        raise FlowFailed(what)


def sdk(base_url, api_key, api_secret, signing=False):
    """A configured SDK instance. The SDK reads its settings from class attributes when an
    instance is made (CUSTOM_DOMAIN) or a request is sent (API_REQUEST_SIGNING)."""
    LoginRadius.API_KEY = api_key
    LoginRadius.API_SECRET = api_secret
    # The SDK appends paths such as "identity/v2/auth/login" to it: it must end with "/".
    LoginRadius.CUSTOM_DOMAIN = base_url.rstrip("/") + "/"
    LoginRadius.API_REQUEST_SIGNING = signing
    return LoginRadius()


def totp(manual_entry_code, at=None):
    """RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, from the Base32 ManualEntryCode."""
    secret = manual_entry_code.strip().replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def outbox_token(base_url, to, kind):
    """The token of the newest emulator outbox message of `kind` to `to`."""
    answer = requests.get(base_url.rstrip("/") + "/emulator/outbox", timeout=10)
    answer.raise_for_status()
    messages = [m for m in answer.json()["messages"] if m["to"].lower() == to.lower() and m["type"] == kind]
    check(messages, f"no {kind} message to {to} in the outbox")
    check(messages[-1].get("token"), f"the {kind} message carries a token")
    return messages[-1]["token"]


def sott_window(minutes=10):
    """A correct SOTT window: 24-hour UTC, `yyyy/MM/dd HH:mm:ss`."""
    now = datetime.now(timezone.utc) - timedelta(minutes=1)
    fmt = "%Y/%m/%d %H:%M:%S"
    return now.strftime(fmt), (now + timedelta(minutes=minutes)).strftime(fmt)


def registration_flow(lr, base_url, email):
    step(f"registration of {email} with a server-side SOTT, then email verification")
    # The SOTT comes from the SDK's server-side generator (GET /identity/v2/manage/account/sott).
    # The SDK's local lr.get_sott() is not used with its defaults: it writes the window with a
    # 12-hour clock ("%I") and no AM/PM, which is wrong in the afternoon (UTC).
    issued = ok(lr.sott.generate_sott(10), "sott.generate_sott")
    check("*" in issued.get("Sott", ""), "the SOTT is cipher*md5")
    check(issued.get("ExpiryTime"), "the SOTT answer has its ExpiryTime")
    user = {
        "Email": [{"Type": "Primary", "Value": email}],
        "Password": PASSWORD,
        "FirstName": "Py",
        "LastName": "Thon",
    }
    registered = ok(lr.authentication.user_registration_by_email(user, issued["Sott"]),
                    "authentication.user_registration_by_email")
    check(registered.get("IsPosted") is True, "registration is posted")
    check(registered.get("Data") is None, "required verification: no tokens before verification")

    error(lr.authentication.login_by_email({"email": email, "password": PASSWORD}), 970,
          "login before the email is verified")

    token = outbox_token(base_url, email, "email_verification")
    verified = ok(lr.authentication.verify_email(token), "authentication.verify_email")
    check(verified.get("IsPosted") is True, "verification is posted")


def local_sott_registration(lr, base_url, email):
    step(f"registration of {email} with the SDK's local SOTT and an explicit 24-hour window")
    # Local SOTT, with startTime/endTime passed explicitly in the correct 24-hour format, which
    # sidesteps the SDK's 12-hour default clock.
    start, end = sott_window()
    sott = lr.get_sott(startTime=start, endTime=end)
    user = {"Email": [{"Type": "Primary", "Value": email}], "Password": PASSWORD}
    ok(lr.authentication.user_registration_by_email(user, sott), "registration with a local SOTT")
    ok(lr.authentication.verify_email(outbox_token(base_url, email, "email_verification")),
       "authentication.verify_email")
    error(lr.authentication.user_registration_by_email(user, lr.get_sott(startTime=start, endTime=end)), 936,
          "registering the same email again")
    error(lr.authentication.user_registration_by_email(
        {"Email": [{"Type": "Primary", "Value": "bad-sott@example.com"}], "Password": PASSWORD},
        "not-a-sott*0123"), 1049, "registration with a bad SOTT")


def login_and_profile_flow(lr, email):
    step(f"login and profile of {email}")
    login = ok(lr.authentication.login_by_email({"email": email, "password": PASSWORD}),
               "authentication.login_by_email")
    access_token = login.get("access_token")
    check(access_token, "the login answers an access_token")
    check(login.get("Profile", {}).get("Uid"), "the login answers the profile")
    error(lr.authentication.login_by_email({"email": email, "password": "wrong-password"}), 966,
          "login with a wrong password")

    profile = ok(lr.authentication.get_profile_by_access_token(access_token),
                 "authentication.get_profile_by_access_token")
    check(profile.get("Email", [{}])[0].get("Value") == email, "the profile has the email")
    check(profile.get("FirstName") == "Py", "the profile has the first name")
    check(profile.get("EmailVerified") is True, "the email is verified")

    updated = ok(lr.authentication.update_profile_by_access_token(access_token, {"FirstName": "Monty"}),
                 "authentication.update_profile_by_access_token")
    check(updated.get("Data", {}).get("FirstName") == "Monty", "the profile update answers the new name")
    validated = ok(lr.authentication.auth_validate_access_token(access_token),
                   "authentication.auth_validate_access_token")
    check(validated.get("access_token") == access_token, "validation answers the token")
    return access_token, profile["Uid"]


def mfa_flow(lr, email, access_token):
    step(f"MFA: set up the authenticator for {email}, then log in with a TOTP code")
    settings = ok(lr.mfa.mfa_configure_by_access_token(access_token), "mfa.mfa_configure_by_access_token")
    manual = settings.get("ManualEntryCode")
    check(manual, "the settings offer the ManualEntryCode")
    check(settings.get("QRCode"), "the settings offer the QR code")
    ok(lr.mfa.mfa_verify_authenticator_code(access_token, {"authenticatorcode": totp(manual)}),
       "mfa.mfa_verify_authenticator_code (enable)")

    error(lr.authentication.login_by_email({"email": email, "password": PASSWORD}), 1176,
          "plain login once the authenticator is enabled")
    first = ok(lr.mfa.mfa_login_by_email(email, PASSWORD), "mfa.mfa_login_by_email")
    challenge = first.get("SecondFactorAuthentication")
    check(challenge and challenge.get("SecondFactorAuthenticationToken"),
          f"the 2FA login returns the challenge: {json.dumps(first)}")
    check(challenge.get("IsAuthenticatorVerified") is True, "the challenge says the authenticator is set up")
    mfa_token = challenge["SecondFactorAuthenticationToken"]

    wrong = f"{(int(totp(manual)) + 500_000) % 1_000_000:06d}"
    error(lr.mfa.mfa_validate_authenticator_code({"authenticatorcode": wrong}, mfa_token), 1102,
          "a wrong authenticator code")
    login = ok(lr.mfa.mfa_validate_authenticator_code({"authenticatorcode": totp(manual)}, mfa_token),
               "mfa.mfa_validate_authenticator_code")
    check(login.get("access_token"), "the second step answers an access token")
    profile = ok(lr.authentication.get_profile_by_access_token(login["access_token"]), "profile after MFA login")
    check(profile.get("Email", [{}])[0].get("Value") == email, "the MFA login is the same user")

    codes = ok(lr.mfa.mfa_backup_code_by_access_token(login["access_token"]), "mfa.mfa_backup_code_by_access_token")
    check(len(codes.get("BackUpCodes", [])) == 10, "ten backup codes")
    again = ok(lr.mfa.mfa_login_by_email(email, PASSWORD), "mfa.mfa_login_by_email")
    ok(lr.mfa.mfa_validate_backup_code({"backupcode": codes["BackUpCodes"][0]},
                                       again["SecondFactorAuthentication"]["SecondFactorAuthenticationToken"]),
       "mfa.mfa_validate_backup_code")


def roles_flow(lr, uid, label):
    step(f"roles ({label}): create, list, assign, get")
    created = ok(lr.role.create_roles({"roles": [{"name": "pyeditor", "permissions": {"publish": True, "edit": True}}]}),
                 "role.create_roles")
    check([r.get("Name") for r in created.get("data", [])] == ["pyeditor"], f"the created role: {json.dumps(created)}")
    listed = ok(lr.role.get_roles_list(), "role.get_roles_list")
    check("pyeditor" in [r.get("Name") for r in listed.get("data", [])], "the list has the new role")
    assigned = ok(lr.role.assign_roles_by_uid({"roles": ["pyeditor"]}, uid), "role.assign_roles_by_uid")
    check(assigned.get("Roles") == ["pyeditor"], f"the assignment answers the roles: {json.dumps(assigned)}")
    roles = ok(lr.role.get_roles_by_uid(uid), "role.get_roles_by_uid")
    check(roles.get("Roles") == ["pyeditor"], f"the user has the role: {json.dumps(roles)}")
    error(lr.role.assign_roles_by_uid({"roles": ["ghost"]}, uid), 1047, "assigning an unknown role")


def signed_flow(base_url, api_key, api_secret):
    step("signed /manage calls (API_REQUEST_SIGNING = True) against an emulator that requires them")
    unsigned = sdk(base_url, api_key, api_secret, signing=False)
    error(unsigned.role.get_roles_list(), 1207, "an unsigned /manage call")

    lr = sdk(base_url, api_key, api_secret, signing=True)
    account = ok(lr.account.create_account({
        "Email": [{"Type": "Primary", "Value": "signed@example.com"}],
        "Password": PASSWORD,
        "EmailVerified": True,
    }), "account.create_account (signed POST)")
    uid = account.get("Uid")
    check(uid, "the created account has a uid")
    read = ok(lr.account.get_account_profile_by_uid(uid), "account.get_account_profile_by_uid (signed GET)")
    check(read.get("Uid") == uid, "the signed read answers the account")
    roles_flow(lr, uid, "signed")
    sott = ok(lr.sott.generate_sott(10), "sott.generate_sott (signed GET with a query)")
    check("*" in sott.get("Sott", ""), "a signed SOTT request answers a SOTT")

    forged = sdk(base_url, api_key, "not-the-secret", signing=True)
    error(forged.role.get_roles_list(), 1208, "a call signed with another secret")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default=os.environ.get("LOGINRADIUS_BASE_URL"))
    parser.add_argument("--signing-base-url", default=os.environ.get("LOGINRADIUS_SIGNING_BASE_URL"))
    parser.add_argument("--api-key", default=os.environ.get("LOGINRADIUS_API_KEY"))
    parser.add_argument("--api-secret", default=os.environ.get("LOGINRADIUS_API_SECRET"))
    args = parser.parse_args()
    missing = [n for n in ("base_url", "signing_base_url", "api_key", "api_secret") if not getattr(args, n)]
    if missing:
        parser.error("missing: " + ", ".join(missing))

    try:
        lr = sdk(args.base_url, args.api_key, args.api_secret)
        email = "python-sdk@example.com"
        registration_flow(lr, args.base_url, email)
        local_sott_registration(lr, args.base_url, "python-local-sott@example.com")
        access_token, uid = login_and_profile_flow(lr, email)
        roles_flow(lr, uid, "API secret header")
        mfa_flow(lr, email, access_token)
        signed_flow(args.signing_base_url, args.api_key, args.api_secret)
    except FlowFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr, flush=True)
        return 1
    except Exception:
        traceback.print_exc()
        return 2
    print("all official Python SDK flows passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

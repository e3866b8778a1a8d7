"""Runs the official LoginRadius Python SDK (PyPI: loginradius-v2) against the emulator.

Started by tests/python_sdk.rs with LR_BASE_URL, LR_API_KEY and LR_API_SECRET set. Exits
non-zero on the first failure. Uses only the SDK and the standard library.
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import struct
import sys
import time
import urllib.request

from LoginRadius import LoginRadius

BASE = os.environ["LR_BASE_URL"].rstrip("/") + "/"
LoginRadius.API_KEY = os.environ["LR_API_KEY"]
LoginRadius.API_SECRET = os.environ["LR_API_SECRET"]
LoginRadius.CUSTOM_DOMAIN = BASE
PASSWORD = "py-secret-1"


def check(condition, what, result):
    if not condition:
        print("FAIL " + what + ": " + json.dumps(result, default=str))
        sys.exit(1)
    print("ok   " + what)


def totp(manual_entry_code, at=None):
    """RFC 6238: HMAC-SHA1, 30-second steps, 6 digits."""
    key = base64.b32decode(manual_entry_code + "=" * (-len(manual_entry_code) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return "%06d" % (value % 1000000)


def outbox_token(email):
    with urllib.request.urlopen(BASE + "emulator/outbox") as response:
        messages = json.load(response)["messages"]
    return [m for m in messages if m["to"] == email][-1]["token"]


lr = LoginRadius()
email = "py-%d@example.com" % int(time.time() * 1000)

# Registration with a SOTT made by the SDK itself. Its local clock path writes a 12-hour hour;
# in the minutes around 13:00 UTC its 10-minute window has end < start, so use the server-time
# option of the same SDK call then.
now = datetime.datetime.utcnow()
sott = lr.get_sott(getLRserverTime=(now.hour == 12 and now.minute >= 48))
result = lr.authentication.user_registration_by_email(
    {"Email": [{"Type": "Primary", "Value": email}], "Password": PASSWORD, "FirstName": "Py"}, sott)
check(result.get("IsPosted") is True, "registration with an SDK-made SOTT", result)

result = lr.authentication.user_registration_by_email(
    {"Email": [{"Type": "Primary", "Value": "x" + email}], "Password": PASSWORD}, "bad*sott")
check(result.get("ErrorCode") == 1049, "bad SOTT answers 1049", result)

result = lr.sott.generate_sott(10)
check(isinstance(result.get("Sott"), str), "server-side SOTT generation", result)
result = lr.authentication.user_registration_by_email(
    {"Email": [{"Type": "Primary", "Value": "s" + email}], "Password": PASSWORD}, result["Sott"])
check(result.get("IsPosted") is True, "registration with a server-made SOTT", result)

result = lr.authentication.login_by_email({"email": email, "password": PASSWORD})
check(result.get("ErrorCode") == 970, "login before verification answers 970", result)

result = lr.authentication.verify_email(outbox_token(email))
check(result.get("IsPosted") is True, "email verification with the outbox token", result)

result = lr.authentication.login_by_email({"email": email, "password": "wrong-password"})
check(result.get("ErrorCode") == 966, "wrong password answers 966", result)

result = lr.authentication.login_by_email({"email": email, "password": PASSWORD})
check(isinstance(result.get("access_token"), str), "login by email", result)
token = result["access_token"]
uid = result["Profile"]["Uid"]

result = lr.authentication.get_profile_by_access_token(token)
check(result.get("Uid") == uid and result.get("FirstName") == "Py", "profile by token", result)

result = lr.authentication.auth_validate_access_token(token)
check(result.get("access_token") == token, "token validation", result)

# MFA: set the authenticator up, then log in with a TOTP code.
result = lr.mfa.mfa_configure_by_access_token(token)
check(isinstance(result.get("ManualEntryCode"), str), "MFA configuration returns the QR data", result)
manual = result["ManualEntryCode"]
result = lr.mfa.mfa_verify_authenticator_code(token, {"authenticatorcode": totp(manual)})
check(result.get("Uid") == uid, "authenticator enabled with a TOTP code", result)

result = lr.authentication.login_by_email({"email": email, "password": PASSWORD})
check(result.get("ErrorCode") == 1176, "plain login with MFA enabled answers 1176", result)

result = lr.mfa.mfa_login_by_email(email, PASSWORD)
sfa = result.get("SecondFactorAuthentication") or {}
check(isinstance(sfa.get("SecondFactorAuthenticationToken"), str), "MFA login returns a challenge", result)
result = lr.mfa.mfa_validate_authenticator_code({"authenticatorcode": "000000" if totp(manual) != "000000" else "111111"},
                                                sfa["SecondFactorAuthenticationToken"])
check(result.get("ErrorCode") == 1102, "wrong TOTP answers 1102", result)
result = lr.mfa.mfa_validate_authenticator_code({"authenticatorcode": totp(manual)},
                                                sfa["SecondFactorAuthenticationToken"])
check(isinstance(result.get("access_token"), str) and result["Profile"]["Uid"] == uid,
      "MFA login with a TOTP code", result)

# Roles.
result = lr.role.create_roles({"roles": [{"name": "py-editor", "permissions": {"edit": True}}]})
check(result.get("Count") == 1, "create role", result)
result = lr.role.assign_roles_by_uid({"roles": ["py-editor"]}, uid)
check(result.get("Roles") == ["py-editor"], "assign role", result)
result = lr.role.assign_roles_by_uid({"roles": ["ghost"]}, uid)
check(result.get("ErrorCode") == 1047, "unknown role answers 1047", result)
result = lr.role.get_roles_by_uid(uid)
check(result.get("Roles") == ["py-editor"], "roles by uid", result)

# A request-signed /manage call.
LoginRadius.API_REQUEST_SIGNING = True
signed = LoginRadius()
result = signed.account.get_account_profile_by_uid(uid)
check(result.get("Uid") == uid, "signed /manage call", result)
result = signed.role.get_roles_by_uid(uid)
check(result.get("Roles") == ["py-editor"], "signed /manage GET", result)

print("python sdk: all flows passed")

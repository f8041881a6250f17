#!/usr/bin/env python3
"""Drives the official Antom Python SDK (global-open-sdk-python) for the interop tier.

Reads one JSON job on stdin and writes one JSON answer on stdout. The SDK is
used unchanged, found through ANTOM_SDK_PYTHON_DIR; the only thing replaced is
its transport, which is HTTPS-only on port 443, by a plain-HTTP connection to
the gateway's local port (as the SDK folder's README allows). Signing, the
request target, headers, body and the answer's verification stay the SDK's.

Job:
  {"gatewayUrl": "http://127.0.0.1:PORT", "clientId": "...",
   "merchantPrivateKey": "<base64>", "gatewayPublicKey": "<base64 SPKI>",
   "calls": [{"api": "revoke" | "query", "accessToken": "...", "merchantAccountId": "..."}
             | {"api": "consult", "customerBelongsTo", "authRedirectUrl", "scopes": [...], "authState", "terminalType"}
             | {"api": "applyToken", "grantType", "customerBelongsTo", "authCode" | "refreshToken"}],
   "notifications": [{"requestUri": "/cb", "clientId": "...", "requestTime": "...",
                      "signature": "...", "body": "..."}]}
Answer:
  {"calls": [{"api", "ok", "path", "response"} | {"api", "ok": false, "error"}],
   "notifications": [{"valid": bool, "notify": {...} } | {"valid": false, "error"}]}
"""
import http.client
import json
import os
import sys
from urllib.parse import urlparse

sys.path.insert(0, os.environ["ANTOM_SDK_PYTHON_DIR"])

import com.alipay.ams.api.net.default_http_rpc as default_http_rpc  # noqa: E402
from com.alipay.ams.api.default_alipay_client import DefaultAlipayClient  # noqa: E402
from com.alipay.ams.api.model.customer_belongs_to import CustomerBelongsTo  # noqa: E402
from com.alipay.ams.api.model.grant_type import GrantType  # noqa: E402
from com.alipay.ams.api.model.scope_type import ScopeType  # noqa: E402
from com.alipay.ams.api.model.terminal_type import TerminalType  # noqa: E402
from com.alipay.ams.api.request.auth.alipay_auth_apply_token_request import AlipayAuthApplyTokenRequest  # noqa: E402
from com.alipay.ams.api.request.auth.alipay_auth_consult_request import AlipayAuthConsultRequest  # noqa: E402
from com.alipay.ams.api.request.auth.alipay_auth_query_token_request import AlipayAuthQueryTokenRequest  # noqa: E402
from com.alipay.ams.api.request.auth.alipay_auth_revoke_token_request import AlipayAuthRevokeTokenRequest  # noqa: E402
from com.alipay.ams.api.request.notify.alipay_auth_notify import AlipayAuthNotify  # noqa: E402
from com.alipay.ams.api.response.auth.alipay_auth_apply_token_response import AlipayAuthApplyTokenResponse  # noqa: E402
from com.alipay.ams.api.response.auth.alipay_auth_consult_response import AlipayAuthConsultResponse  # noqa: E402
from com.alipay.ams.api.response.auth.alipay_auth_query_token_response import AlipayAuthQueryTokenResponse  # noqa: E402
from com.alipay.ams.api.response.auth.alipay_auth_revoke_token_response import AlipayAuthRevokeTokenResponse  # noqa: E402
from com.alipay.ams.api.tools.webhook_tool import check_signature  # noqa: E402


def plain_http_connection(url, timeout=15):
    """The one replacement the vendor README allows: plain HTTP to the URL's own port."""
    parsed = urlparse(url)
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)


# A module-level function named with two underscores: set it by its literal name.
setattr(default_http_rpc, "__get_http_connection", plain_http_connection)


def result_of(response):
    r = response.result
    return None if r is None else {
        "resultCode": r.result_code,
        "resultStatus": r.result_status.value if hasattr(r.result_status, "value") else r.result_status,
        "resultMessage": r.result_message,
    }


def token_fields(r):
    """The token fields the query and applyToken responses share, as the SDK parsed them."""
    return {
        "accessToken": r.access_token,
        "accessTokenExpiryTime": r.access_token_expiry_time,
        "refreshToken": r.refresh_token,
        "refreshTokenExpiryTime": r.refresh_token_expiry_time,
    }


def request_for(call):
    if call["api"] == "revoke":
        request = AlipayAuthRevokeTokenRequest()
        request.access_token = call["accessToken"]
        if call.get("merchantAccountId"):
            request.merchant_account_id = call["merchantAccountId"]
        return request, lambda body: {"result": result_of(AlipayAuthRevokeTokenResponse(body))}
    if call["api"] == "query":
        request = AlipayAuthQueryTokenRequest()
        request.access_token = call["accessToken"]

        def parse(body):
            r = AlipayAuthQueryTokenResponse(body)
            return {"result": result_of(r), **token_fields(r), "tokenStatusType": r.token_status_type}

        return request, parse
    if call["api"] == "consult":
        # The SDK's own enums, as a merchant writes them; it sends their names.
        request = AlipayAuthConsultRequest()
        request.customer_belongs_to = CustomerBelongsTo[call["customerBelongsTo"]]
        request.auth_redirect_url = call["authRedirectUrl"]
        request.scopes = [ScopeType[s] for s in call["scopes"]]
        request.auth_state = call["authState"]
        request.terminal_type = TerminalType[call["terminalType"]]

        def parse_consult(body):
            r = AlipayAuthConsultResponse(body)
            return {"result": result_of(r), "authUrl": r.auth_url, "normalUrl": r.normal_url}

        return request, parse_consult
    if call["api"] == "applyToken":
        request = AlipayAuthApplyTokenRequest()
        request.grant_type = GrantType[call["grantType"]]
        request.customer_belongs_to = CustomerBelongsTo[call["customerBelongsTo"]]
        if call.get("authCode"):
            request.auth_code = call["authCode"]
        if call.get("refreshToken"):
            request.refresh_token = call["refreshToken"]

        def parse_apply(body):
            r = AlipayAuthApplyTokenResponse(body)
            return {"result": result_of(r), **token_fields(r), "userLoginId": r.user_login_id}

        return request, parse_apply
    raise ValueError("unknown api " + call["api"])


def run_call(client, call):
    request, parse = request_for(call)
    try:
        body = client.execute(request)
    except Exception as e:  # the SDK raises AlipayApiException for transport and verification failures
        return {"api": call["api"], "ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    # The parsed response only: the raw body would carry the token into a failing test's output whole.
    return {"api": call["api"], "ok": True, "path": request.path, "response": parse(body)}


def check_notification(n, public_key):
    try:
        valid = check_signature("POST", n["requestUri"], n["clientId"], n["requestTime"], n["body"], n["signature"], public_key)
    except Exception as e:
        return {"valid": False, "error": "%s: %s" % (type(e).__name__, e)}
    notify = AlipayAuthNotify(n["body"])
    return {
        "valid": bool(valid),
        "notify": {
            "notifyType": notify.notify_type,
            "authorizationNotifyType": notify.authorization_notify_type,
            "authClientId": notify.auth_client_id,
            "accessToken": notify.access_token,
            "authState": notify.auth_state,
            "authCode": notify.auth_code,
            "reason": notify.reason,
            "userLoginId": notify.user_login_id,
            "userId": notify.user_id,
            "passThroughInfo": notify.pass_through_info,
            "resultStatus": None if notify.result is None else notify.result.result_status.value
            if hasattr(notify.result.result_status, "value") else notify.result.result_status,
        },
    }


def main():
    job = json.load(sys.stdin)
    answer = {"calls": [], "notifications": []}
    if job.get("calls"):
        client = DefaultAlipayClient(job["gatewayUrl"], job["clientId"], job["merchantPrivateKey"], job["gatewayPublicKey"])
        answer["calls"] = [run_call(client, call) for call in job["calls"]]
    for n in job.get("notifications", []):
        answer["notifications"].append(check_notification(n, job["gatewayPublicKey"]))
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()

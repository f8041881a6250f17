<?php
/**
 * Drives the official Antom PHP SDK (global-open-sdk-php) for the interop tier.
 *
 * Reads one JSON job on stdin, writes one JSON answer on stdout (the same
 * shapes as ../python/antom_sdk_driver.py). The SDK is used unchanged, found
 * through ANTOM_SDK_PHP_DIR and loaded with a PSR-4 autoloader made from the
 * `autoload` map of its composer.json, as Composer would. Its curl transport
 * takes a plain http://127.0.0.1:PORT URL as it is, so nothing is replaced.
 */

$sdk = getenv('ANTOM_SDK_PHP_DIR');
if ($sdk === false || $sdk === '') {
    fwrite(STDERR, "ANTOM_SDK_PHP_DIR is not set\n");
    exit(2);
}
$composer = json_decode(file_get_contents($sdk . '/composer.json'), true);
$prefixes = $composer['autoload']['psr-4'];
spl_autoload_register(function ($class) use ($sdk, $prefixes) {
    foreach ($prefixes as $prefix => $dir) {
        if (strncmp($class, $prefix, strlen($prefix)) === 0) {
            $file = $sdk . '/' . $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require_once $file;
            }
            return;
        }
    }
});

function result_of($result)
{
    return $result === null ? null : [
        'resultCode' => $result->resultCode ?? null,
        'resultStatus' => $result->resultStatus ?? null,
        'resultMessage' => $result->resultMessage ?? null,
    ];
}

function run_call($client, $call)
{
    if ($call['api'] === 'revoke') {
        $request = new \Request\auth\AlipayAuthRevokeTokenRequest();
        $request->setAccessToken($call['accessToken']);
        if (!empty($call['merchantAccountId'])) {
            $request->setMerchantAccountId($call['merchantAccountId']);
        }
    } elseif ($call['api'] === 'query') {
        $request = new \Request\auth\AlipayAuthQueryTokenRequest();
        $request->setAccessToken($call['accessToken']);
    } elseif ($call['api'] === 'consult') {
        $request = new \Request\auth\AlipayAuthConsultRequest();
        $request->setCustomerBelongsTo($call['customerBelongsTo']);
        $request->setAuthRedirectUrl($call['authRedirectUrl']);
        $request->setScopes($call['scopes']);
        $request->setAuthState($call['authState']);
        $request->setTerminalType($call['terminalType']);
    } elseif ($call['api'] === 'applyToken') {
        $request = new \Request\auth\AlipayAuthApplyTokenRequest();
        $request->setGrantType($call['grantType']);
        $request->setCustomerBelongsTo($call['customerBelongsTo']);
        if (!empty($call['authCode'])) {
            $request->setAuthCode($call['authCode']);
        }
        if (!empty($call['refreshToken'])) {
            $request->setRefreshToken($call['refreshToken']);
        }
    } else {
        throw new InvalidArgumentException('unknown api ' . $call['api']);
    }
    try {
        $response = $client->execute($request);
    } catch (\Throwable $e) {
        return ['api' => $call['api'], 'ok' => false, 'error' => get_class($e) . ': ' . $e->getMessage()];
    }
    $parsed = ['result' => result_of($response->result ?? null)];
    $fields = [
        'query' => ['accessToken', 'accessTokenExpiryTime', 'refreshToken', 'refreshTokenExpiryTime', 'tokenStatusType'],
        'consult' => ['authUrl', 'normalUrl'],
        'applyToken' => ['accessToken', 'accessTokenExpiryTime', 'refreshToken', 'refreshTokenExpiryTime', 'userLoginId'],
    ][$call['api']] ?? [];
    foreach ($fields as $field) {
        $parsed[$field] = $response->$field ?? null;
    }
    return ['api' => $call['api'], 'ok' => true, 'path' => $request->getPath(), 'response' => $parsed];
}

/**
 * A notification checked the way the PHP SDK verifies: the value after
 * `signature=` through SignatureTool::verify, under the merchant's own client
 * id. The PHP SDK has no notification parser (its AlipayAuthNotify is a plain
 * holder), so the fields are read as a PHP merchant reads them: json_decode.
 */
function check_notification($n, $publicKey)
{
    $parts = explode('signature=', $n['signature']);
    $valid = count($parts) > 1 && \Client\SignatureTool::verify('POST', $n['requestUri'], $n['clientId'], $n['requestTime'], $n['body'], $parts[1], $publicKey) === 1;
    $fields = json_decode($n['body'], true);
    $notify = [];
    foreach (['notifyType', 'authorizationNotifyType', 'authClientId', 'accessToken', 'userLoginId', 'userId'] as $field) {
        $notify[$field] = $fields[$field] ?? null;
    }
    return ['valid' => $valid, 'notify' => $notify];
}

$job = json_decode(stream_get_contents(STDIN), true);
$answer = ['calls' => [], 'notifications' => []];
if (!empty($job['calls'])) {
    $client = new \Client\DefaultAlipayClient($job['gatewayUrl'], $job['merchantPrivateKey'], $job['gatewayPublicKey'], $job['clientId']);
    foreach ($job['calls'] as $call) {
        $answer['calls'][] = run_call($client, $call);
    }
}
foreach ($job['notifications'] ?? [] as $n) {
    $answer['notifications'][] = check_notification($n, $job['gatewayPublicKey']);
}
echo json_encode($answer, JSON_UNESCAPED_SLASHES);

import { DEFAULT_EVENT_TYPES, EVENT_TYPES } from '../../protocol/notification-types';
import { SIGNING_SCHEME_NAMES, SIGNING_SCHEMES } from '../../protocol/signing-schemes';
import type { ConsolePage } from './layout.view';

/**
 * The static markup of each page: headings, forms with labels, empty tables
 * with captions. The page's script fills them from the admin API; nothing
 * here depends on data, so it is the same for every operator.
 */
export const PAGE_TITLES: Record<ConsolePage, string> = {
  merchants: 'Merchants',
  tokens: 'Token look-up',
  deliveries: 'Callback deliveries',
  health: 'Health and charts',
  audit: 'Audit trail',
};

const field = (id: string, label: string, input: string, hint?: string) =>
  `<div class="field"><label for="${id}">${label}</label>${input}${hint ? `<p class="hint" id="${id}-hint">${hint}</p>` : ''}</div>`;

/** One option per signing scheme (SIGNING_SCHEMES), the default first. */
const schemeOptions = SIGNING_SCHEME_NAMES.map((s) => `<option value="${s}">${s} (${SIGNING_SCHEMES[s].label})</option>`).join('');

/** One checkbox per event type an endpoint can subscribe to (NOTIFICATION_TYPES), the defaults checked. */
const eventTypeChecks = EVENT_TYPES.map(
  (t) => `<label class="check"><input type="checkbox" name="eventTypes" value="${t}"${DEFAULT_EVENT_TYPES.includes(t) ? ' checked' : ''}> ${t}</label>`,
).join('\n      ');

const merchants = `
<section aria-labelledby="merchant-list-h">
  <h2 id="merchant-list-h">All merchants</h2>
  <div class="table-wrap">
  <table id="merchant-table">
    <caption class="visually-hidden">Merchants, newest first</caption>
    <thead><tr><th scope="col">Name</th><th scope="col">Reference merchant id</th><th scope="col">Client id</th><th scope="col">Status</th><th scope="col">Public key</th><th scope="col">Actions</th></tr></thead>
    <tbody></tbody>
  </table>
  </div>
  <button type="button" id="merchant-more" hidden>Load more merchants</button>
</section>

<section id="merchant-detail" aria-labelledby="merchant-detail-h" hidden>
  <h2 id="merchant-detail-h" tabindex="-1">Merchant</h2>
  <dl id="merchant-summary" class="summary"></dl>
  <div class="actions">
    <button type="button" id="merchant-disable" class="danger">Disable merchant</button>
  </div>

  <form id="rotate-key-form" class="card">
    <h3>Rotate the merchant's public key</h3>
    <p>The new key becomes current; the current one stays accepted until the rotation is ended.</p>
    ${field('rotate-key', 'New public key (PEM or base64 DER)', '<textarea id="rotate-key" name="publicKey" rows="4" required spellcheck="false"></textarea>')}
    <button type="submit">Rotate key</button>
  </form>

  <h3 id="sub-merchants-h">Sub-merchants</h3>
  <div class="table-wrap">
  <table id="sub-merchant-table" aria-labelledby="sub-merchants-h">
    <thead><tr><th scope="col">Name</th><th scope="col">Merchant account id</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
    <tbody></tbody>
  </table>
  </div>
  <form id="add-sub-merchant-form" class="card inline">
    <h4>Add a sub-merchant</h4>
    ${field('sub-account', 'Merchant account id', '<input id="sub-account" name="merchantAccountId" required maxlength="64" autocomplete="off">')}
    ${field('sub-name', 'Name', '<input id="sub-name" name="name" required maxlength="128" autocomplete="off">')}
    <button type="submit">Add sub-merchant</button>
  </form>

  <h3 id="endpoints-h">Callback endpoints</h3>
  <div id="secret-panel" class="secret" hidden>
    <h4 id="secret-h">New webhook secret: copy it now</h4>
    <p><strong>Warning:</strong> this secret is shown once. Store it in the merchant's receiver now; the gateway cannot show it again (rotate it if it is lost).</p>
    ${field('secret-value', 'Secret for <span id="secret-endpoint"></span>', '<input id="secret-value" readonly spellcheck="false" autocomplete="off">')}
    <button type="button" id="secret-copy">Copy secret</button>
    <button type="button" id="secret-done">I have stored it: hide</button>
  </div>
  <div class="table-wrap">
  <table id="endpoint-table" aria-labelledby="endpoints-h">
    <thead><tr><th scope="col">URL</th><th scope="col">For</th><th scope="col">Signing</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
    <tbody></tbody>
  </table>
  </div>
  <form id="add-endpoint-form" class="card">
    <h4>Add a callback endpoint</h4>
    ${field('endpoint-url', 'URL', '<input id="endpoint-url" name="url" type="url" required maxlength="2048" autocomplete="off">', 'https only in production.')}
    ${field('endpoint-sub', 'For', '<select id="endpoint-sub" name="subMerchantId"><option value="">The merchant itself</option></select>')}
    ${field('endpoint-scheme', 'Signing', `<select id="endpoint-scheme" name="signingScheme">${schemeOptions}</select>`)}
    <fieldset>
      <legend>Events</legend>
      ${eventTypeChecks}
    </fieldset>
    <button type="submit">Add endpoint</button>
  </form>
</section>

<section aria-labelledby="gateway-key-h">
  <h2 id="gateway-key-h">The gateway's public key</h2>
  <p>Give it to every merchant: their Antom SDK takes it as the Alipay public key, and uses it to verify the gateway's answers and callbacks. Fingerprint <span id="gateway-key-fingerprint" class="mono"></span>.</p>
  <div class="cards">
  <div class="card">
    ${field('gateway-key-base64', 'Bare base64 (Java, Go, PHP, .NET and Python SDKs)', '<textarea id="gateway-key-base64" rows="4" readonly spellcheck="false"></textarea>')}
    <button type="button" id="gateway-key-copy">Copy base64 key</button>
  </div>
  <div class="card">
    ${field('gateway-key-pem', 'PEM (openssl, and SDKs that take PEM)', '<textarea id="gateway-key-pem" rows="9" readonly spellcheck="false"></textarea>')}
  </div>
  </div>
</section>

<section aria-labelledby="add-merchant-h">
  <h2 id="add-merchant-h">Add a merchant</h2>
  <form id="add-merchant-form" class="card">
    ${field('m-ref', 'Reference merchant id (at Alipay+)', '<input id="m-ref" name="referenceMerchantId" required maxlength="64" autocomplete="off">')}
    ${field('m-name', 'Name', '<input id="m-name" name="name" required maxlength="128" autocomplete="off">')}
    ${field('m-client', 'Client id (the merchant signs its calls under it)', '<input id="m-client" name="clientId" required maxlength="64" autocomplete="off">')}
    ${field('m-key', 'Public key (optional; PEM or base64 DER)', '<textarea id="m-key" name="publicKey" rows="4" spellcheck="false"></textarea>')}
    <button type="submit" class="primary">Add merchant</button>
  </form>
</section>
`;

const tokens = `
<section aria-labelledby="find-h">
  <h2 id="find-h">Find a token</h2>
  <div class="cards">
  <form id="lookup-token-form" class="card">
    ${field('access-token', 'Access token', '<input id="access-token" name="accessToken" type="password" required maxlength="128" autocomplete="off" spellcheck="false" aria-describedby="access-token-hint">', 'Sent in a request body, never in a URL; the answer shows it masked.')}
    <button type="submit" class="primary">Look up token</button>
  </form>
  <form id="lookup-customer-form" class="card" method="get" action="/console/tokens">
    ${field('customer-id', 'Customer id', '<input id="customer-id" name="customerId" required maxlength="64" autocomplete="off">')}
    <button type="submit">Find the customer's tokens</button>
  </form>
  </div>
</section>

<section id="customer-results" aria-labelledby="customer-results-h" hidden>
  <h2 id="customer-results-h" tabindex="-1">Tokens of the customer</h2>
  <div class="table-wrap">
  <table id="customer-table">
    <thead><tr><th scope="col">Token</th><th scope="col">Status</th><th scope="col">Merchant</th><th scope="col">Created</th></tr></thead>
    <tbody></tbody>
  </table>
  </div>
</section>

<section id="token-detail" aria-labelledby="token-h" hidden>
  <h2 id="token-h" tabindex="-1">Token</h2>
  <dl id="token-summary" class="summary"></dl>
  <h3>Timeline</h3>
  <p class="hint">Everything recorded about this token, oldest first: notifications from Alipay+, the merchant's revoke calls, cancelToken attempts, and callback deliveries with every attempt.</p>
  <ol id="timeline" class="timeline"></ol>
</section>
`;

const deliveries = `
<section aria-labelledby="filter-h">
  <h2 id="filter-h">Filter</h2>
  <form id="delivery-filter" class="card filters" method="get" action="/console/deliveries">
    ${field('f-status', 'Status', '<select id="f-status" name="status"><option value="">Any</option><option>PENDING</option><option>LEASED</option><option>DELIVERED</option><option>FAILED</option></select>')}
    ${field('f-endpoint', 'Endpoint id', '<input id="f-endpoint" name="endpointId" maxlength="36" autocomplete="off">')}
    ${field('f-merchant', 'Merchant id', '<input id="f-merchant" name="merchantId" maxlength="36" autocomplete="off">')}
    ${field('f-since', 'Created from (your time zone)', '<input id="f-since" name="since" type="datetime-local" step="1">')}
    ${field('f-until', 'Created before (your time zone)', '<input id="f-until" name="until" type="datetime-local" step="1">')}
    <div class="actions"><button type="submit" class="primary">Apply filters</button> <a href="/console/deliveries">Clear filters</a></div>
  </form>
</section>

<section aria-labelledby="deliveries-h">
  <h2 id="deliveries-h">Deliveries, newest first</h2>
  <div class="table-wrap">
  <table id="delivery-table">
    <thead><tr><th scope="col">Created</th><th scope="col">Event</th><th scope="col">Endpoint</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col">Actions</th></tr></thead>
    <tbody></tbody>
  </table>
  </div>
  <p id="delivery-empty" hidden>No delivery matches these filters.</p>
  <button type="button" id="delivery-more" hidden>Load more deliveries</button>
</section>

<section id="recover" aria-labelledby="recover-h">
  <h2 id="recover-h">Recover an endpoint's failed deliveries</h2>
  <form id="recover-form" class="card">
    <p>Puts every FAILED delivery of the endpoint created since the given time back to PENDING. Fix and re-enable the endpoint first.</p>
    ${field('r-endpoint', 'Endpoint id', '<input id="r-endpoint" name="endpointId" required maxlength="36" autocomplete="off">')}
    ${field('r-since', 'Failed since (your time zone)', '<input id="r-since" name="since" type="datetime-local" step="1" required>')}
    <button type="submit">Recover since</button>
  </form>
</section>
`;

const chart = (id: string, caption: string) => `
  <figure class="chart" id="chart-${id}" aria-labelledby="chart-${id}-caption">
    <figcaption id="chart-${id}-caption">${caption}</figcaption>
    <div class="chart-canvas"></div>
    <p class="chart-summary hint"></p>
    <details><summary>Data table</summary><div class="chart-table"></div></details>
  </figure>`;

const health = `
<section aria-labelledby="charts-h">
  <h2 id="charts-h">Activity in the last 60 minutes</h2>
  <div class="charts">
  ${chart('notifications', 'Notifications received per minute')}
  ${chart('deliveries', 'Callback delivery attempts per minute')}
  ${chart('failures', 'Failed delivery attempts per minute')}
  </div>
  <button type="button" id="refresh">Refresh</button>
</section>

<section aria-labelledby="endpoint-health-h">
  <h2 id="endpoint-health-h">Callback endpoint health</h2>
  <p class="hint">Disabled and failing endpoints first, then the busiest of the last 60 minutes. Success rate and last error are over each endpoint's latest 100 attempts.</p>
  <div class="table-wrap">
  <table id="endpoint-health-table">
    <thead><tr><th scope="col">Merchant</th><th scope="col">Endpoint</th><th scope="col">Status</th><th scope="col">Success, last 60 min</th><th scope="col">Success, latest 100 attempts</th><th scope="col">Last error</th><th scope="col">Actions</th></tr></thead>
    <tbody></tbody>
  </table>
  </div>
  <p id="endpoint-health-empty" hidden>No endpoint was disabled, failing or busy in the last 60 minutes.</p>
</section>
`;

const audit = `
<section aria-labelledby="audit-filter-h">
  <h2 id="audit-filter-h">Filter</h2>
  <form id="audit-filter" class="card filters" method="get" action="/console/audit">
    ${field('a-actor', 'Operator', '<input id="a-actor" name="actor" maxlength="64" autocomplete="off">', 'An operator name; bootstrap is ADMIN_API_TOKEN.')}
    ${field('a-since', 'From (your time zone)', '<input id="a-since" name="since" type="datetime-local" step="1">')}
    ${field('a-until', 'Before (your time zone)', '<input id="a-until" name="until" type="datetime-local" step="1">')}
    <div class="actions"><button type="submit" class="primary">Apply filters</button> <a href="/console/audit">Clear filters</a></div>
  </form>
</section>

<section aria-labelledby="audit-h">
  <h2 id="audit-h">Operator actions, newest first</h2>
  <p class="hint">Every change made through the admin API or this console, and every console log-in and log-out: append-only.</p>
  <div class="table-wrap">
  <table id="audit-table">
    <thead><tr><th scope="col">When</th><th scope="col">Operator</th><th scope="col">Action</th><th scope="col">Object</th><th scope="col">Status</th><th scope="col">From</th></tr></thead>
    <tbody></tbody>
  </table>
  </div>
  <p id="audit-empty" hidden>No operator action matches these filters.</p>
  <button type="button" id="audit-more" hidden>Load more actions</button>
</section>
`;

export const PAGE_BODIES: Record<ConsolePage, string> = { merchants, tokens, deliveries, health, audit };

// @ts-check
// The token look-up page.
// Served as is from /console/assets (see console-assets.ts): plain browser JavaScript, no build step.
/* Token look-up: by value (POST body, never the URL) or by customer id; the token's whole timeline. */
(function () {
  'use strict';
  var ui = window.ConsoleUI;
  var h = ui.h;
  var params = ui.searchParams();

  function summary(t) {
    var dl = ui.clear(document.getElementById('token-summary'));
    var merchant = t.merchant
      ? h('a', { href: '/console/merchants' + ui.qs({ merchant: t.merchant.id }) }, t.merchant.name + ' (' + t.merchant.referenceMerchantId + ')')
      : t.referenceMerchantId || 'unknown';
    var customer = t.customerId ? h('a', { href: '/console/tokens' + ui.qs({ customerId: t.customerId }) }, t.customerId) : 'unknown';
    var rows = [
      ['Access token', h('span', { class: 'mono', text: t.accessToken })],
      ['Status', ui.badge(t.status)],
      ['Canceled', t.canceledAt ? h('span', null, [ui.time(t.canceledAt), ' by ' + (t.cancelSource || 'unknown')]) : 'no'],
      ['Merchant', merchant],
      ['Customer id', customer],
      ['Wallet (pspId)', t.pspId || 'unknown'],
      ['Scopes', t.scopes.length ? t.scopes.join(', ') : 'none'],
      ['Token created', ui.time(t.tokenCreatedAt)],
      ['Access token expires', ui.time(t.accessTokenExpiryTime)],
      ['Refresh token expires', ui.time(t.refreshTokenExpiryTime)],
      ['Id', h('span', { class: 'mono', text: t.id })],
    ];
    rows.forEach(function (r) {
      dl.appendChild(h('dt', null, r[0]));
      dl.appendChild(h('dd', null, r[1]));
    });
    document.getElementById('token-h').textContent = 'Token ' + t.accessToken;
  }

  function entry(at, kind, body, children) {
    return { at: at, node: h('li', null, [h('span', { class: 'when' }, ui.time(at)), h('span', { class: 'kind', text: kind }), body, children]) };
  }

  function resultText(status, code, errorClass) {
    if (status || code) return h('span', null, [ui.badge(status || 'none'), ' ' + (code || '')]);
    return h('span', null, [ui.badge('none'), ' ' + (errorClass ? 'no answer: ' + errorClass : 'no answer')]);
  }

  /** Loads what the endpoint answered to each attempt when the operator opens it. */
  function responses(delivery) {
    var box = h('div');
    var details = h('details', null, [h('summary', null, 'Answers of the endpoint'), box]);
    var loaded = false;
    details.addEventListener('toggle', function () {
      if (!details.open || loaded) return;
      loaded = true;
      box.appendChild(h('p', { class: 'hint', text: 'Loading...' }));
      ui.api('GET', '/admin/v1/deliveries/' + encodeURIComponent(delivery.id))
        .then(function (d) {
          ui.clear(box);
          d.attempts.forEach(function (a) {
            box.appendChild(h('p', null, 'Attempt ' + a.attemptNo + ': ' + (a.httpStatus === null ? 'no HTTP answer' : 'HTTP ' + a.httpStatus)));
            box.appendChild(h('pre', { text: a.responseBody === null ? '(no body)' : a.responseBody }));
          });
          if (d.attempts.length === 0) box.appendChild(h('p', { text: 'No attempt yet.' }));
        })
        .catch(function (err) {
          ui.clear(box);
          ui.fail(err);
        });
    });
    return details;
  }

  function deliveryItem(d) {
    var attempts = h(
      'ol',
      { 'aria-label': 'Attempts' },
      d.attempts.map(function (a) {
        return h('li', null, [
          'Attempt ' + a.attemptNo + ' at ',
          ui.time(a.startedAt),
          ': ',
          a.httpStatus === null ? 'no HTTP answer' : 'HTTP ' + a.httpStatus,
          ', ',
          ui.badge(a.outcome),
          a.errorClass ? ' ' + a.errorClass : '',
          ' (' + a.durationMs + ' ms)',
        ]);
      }),
    );
    var link = h('a', { href: '/console/deliveries' + ui.qs({ endpointId: d.endpointId }) }, ['deliveries of this endpoint']);
    return h('li', null, [
      'Delivery to endpoint ',
      ui.shortId(d.endpointId),
      ': ',
      ui.badge(d.status),
      ', ' + d.attemptCount + ' attempt(s) in the current series',
      d.lastError ? ', last error ' + d.lastError : '',
      ' (',
      link,
      ')',
      d.attempts.length ? attempts : h('p', { class: 'hint', text: 'No attempt yet.' }),
      d.attempts.length ? responses(d) : null,
    ]);
  }

  function timeline(t) {
    var items = [];
    t.consultations.forEach(function (c) {
      items.push(
        entry(
          c.createdAt,
          'Merchant consult',
          h('span', null, [c.customerBelongsTo + ', authState ' + c.authState + ', answered ', resultText(c.resultStatus, c.resultCode)]),
        ),
      );
    });
    if (t.authCode) {
      var code = t.authCode;
      var exchange = code.exchangeStatus
        ? 'exchange ' +
          code.exchangeStatus +
          ' after ' +
          code.exchangeAttempts +
          ' attempt(s)' +
          (code.exchangeResultCode ? ', ' + code.exchangeResultCode : '')
        : 'not exchanged by the gateway';
      items.push(entry(code.createdAt, 'Auth code', exchange));
    }
    t.notifications.forEach(function (n) {
      var dup = n.duplicateCount > 0 ? h('span', null, [', ' + n.duplicateCount + ' duplicate(s), last at ', ui.time(n.lastReceivedAt)]) : null;
      items.push(entry(n.receivedAt, 'Notification from Alipay+', h('span', null, [n.type + ': ', ui.badge(n.outcome), dup])));
    });
    t.merchantRequests.forEach(function (r) {
      items.push(entry(r.receivedAt, 'Merchant call', h('span', null, [r.api + ' answered ', resultText(r.resultStatus, r.resultCode)])));
    });
    if (t.cancelTokenJob) {
      var j = t.cancelTokenJob;
      var attempts = h(
        'ol',
        { 'aria-label': 'cancelToken attempts' },
        j.attempts.map(function (a) {
          return h('li', null, [
            'Attempt ' + a.attemptNo + ' at ',
            ui.time(a.startedAt),
            ': ',
            resultText(a.resultStatus, a.resultCode, a.errorClass),
            ' (' + a.durationMs + ' ms)',
          ]);
        }),
      );
      var last = j.lastResultStatus ? ', last result ' + j.lastResultStatus + ' ' + (j.lastResultCode || '') : '';
      items.push(
        entry(j.createdAt, 'cancelToken to Alipay+', h('span', null, [ui.badge(j.status), ' after ' + j.attemptCount + ' attempt(s)' + last]), attempts),
      );
    }
    t.events.forEach(function (e) {
      var deliveries = e.deliveries.length
        ? h('ul', { 'aria-label': 'Callback deliveries' }, e.deliveries.map(deliveryItem))
        : h('p', { class: 'hint', text: 'No callback endpoint subscribed to this event.' });
      items.push(entry(e.occurredAt, 'Event ' + e.type, e.cancelSource ? 'canceled by ' + e.cancelSource : '', deliveries));
    });
    items.sort(function (a, b) {
      return new Date(a.at).getTime() - new Date(b.at).getTime();
    });
    var list = ui.clear(document.getElementById('timeline'));
    items.forEach(function (i) {
      list.appendChild(i.node);
    });
    if (items.length === 0) list.appendChild(h('li', { text: 'Nothing recorded yet.' }));
  }

  function show(detail) {
    document.getElementById('customer-results').hidden = true;
    summary(detail.token);
    timeline(detail.timeline);
    var section = document.getElementById('token-detail');
    section.hidden = false;
    ui.focus(document.getElementById('token-h'));
    // The address now names the token by id, never by value: reloading or sharing it shows the same timeline.
    window.history.replaceState(null, '', '/console/tokens' + ui.qs({ id: detail.token.id }));
  }

  ui.onSubmit(document.getElementById('lookup-token-form'), function (v, form) {
    return ui.api('POST', '/admin/v1/tokens/lookup', { accessToken: v.accessToken }).then(function (detail) {
      form.reset();
      show(detail);
    });
  });

  function customer(customerId) {
    ui.input('customer-id').value = customerId;
    return ui.api('GET', '/admin/v1/tokens' + ui.qs({ customerId: customerId, limit: 200 })).then(function (page) {
      var body = ui.clear(document.querySelector('#customer-table tbody'));
      page.items.forEach(function (t) {
        body.appendChild(
          h('tr', null, [
            h('td', null, h('a', { href: '/console/tokens' + ui.qs({ id: t.id }), class: 'mono' }, t.accessToken)),
            h('td', null, ui.badge(t.status)),
            h('td', null, t.merchant ? t.merchant.name : t.referenceMerchantId || 'unknown'),
            h('td', null, ui.time(t.createdAt)),
          ]),
        );
      });
      if (page.items.length === 0) body.appendChild(h('tr', null, h('td', { colspan: 4, text: 'No token for this customer.' })));
      document.getElementById('customer-results-h').textContent = 'Tokens of customer ' + customerId;
      document.getElementById('customer-results').hidden = false;
      ui.focus(document.getElementById('customer-results-h'));
    });
  }

  var id = params.get('id');
  var customerId = params.get('customerId');
  if (id)
    ui.api('GET', '/admin/v1/tokens/' + encodeURIComponent(id))
      .then(show)
      .catch(ui.fail);
  else if (customerId) customer(customerId).catch(ui.fail);
})();

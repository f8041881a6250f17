// @ts-check
// The merchants page.
// Served as is from /console/assets (see console-assets.ts): plain browser JavaScript, no build step.
/* Merchants page: list, add, disable, rotate key; a merchant's sub-merchants and callback endpoints. */
(function () {
  'use strict';
  var ui = window.ConsoleUI;
  var h = ui.h;
  var selectedId = ui.searchParams().get('merchant');
  var cursor = null;
  var subMerchants = [];

  var tbody = document.querySelector('#merchant-table tbody');
  var more = document.getElementById('merchant-more');

  function merchantRow(m) {
    var open = h('a', { href: '/console/merchants' + ui.qs({ merchant: m.id }) }, ['Manage', h('span', { class: 'visually-hidden', text: ' ' + m.name })]);
    return h('tr', { class: m.id === selectedId ? 'selected' : null, 'data-merchant-id': m.id }, [
      h('td', null, m.name),
      h('td', { class: 'mono' }, m.referenceMerchantId),
      h('td', { class: 'mono' }, m.clientId),
      h('td', null, ui.badge(m.status)),
      h('td', { class: 'mono' }, m.publicKeyFingerprint ? 'sha256 ' + m.publicKeyFingerprint : 'none'),
      h('td', null, open),
    ]);
  }

  function loadMerchants(reset) {
    if (reset) {
      cursor = null;
      ui.clear(tbody);
    }
    return ui.api('GET', '/admin/v1/merchants' + ui.qs({ limit: 50, cursor: cursor })).then(function (page) {
      page.items.forEach(function (m) {
        tbody.appendChild(merchantRow(m));
      });
      if (page.items.length === 0 && !cursor) tbody.appendChild(h('tr', null, h('td', { colspan: 6, text: 'No merchants yet.' })));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    });
  }
  more.addEventListener('click', function () {
    ui.busy(more, function () {
      return loadMerchants(false);
    });
  });

  ui.onSubmit(document.getElementById('add-merchant-form'), function (v, form) {
    var body = { referenceMerchantId: v.referenceMerchantId, name: v.name, clientId: v.clientId };
    if (v.publicKey) body.publicKey = v.publicKey;
    return ui.api('POST', '/admin/v1/merchants', body).then(function (m) {
      form.reset();
      ui.flash('Merchant "' + m.name + '" added.');
      return loadMerchants(true);
    });
  });

  // ----- one merchant ---------------------------------------------------------------------------
  var detail = document.getElementById('merchant-detail');
  var base = function () {
    return '/admin/v1/merchants/' + encodeURIComponent(selectedId);
  };

  function summary(m) {
    var dl = ui.clear(document.getElementById('merchant-summary'));
    var rows = [
      ['Id', h('span', { class: 'mono', text: m.id })],
      ['Status', ui.badge(m.status)],
      ['Reference merchant id', m.referenceMerchantId],
      ['Client id', m.clientId],
      ['Public key', m.publicKeyFingerprint ? 'sha256 ' + m.publicKeyFingerprint : 'none'],
      ['Previous key (rotation)', m.previousPublicKeyFingerprint ? 'sha256 ' + m.previousPublicKeyFingerprint + ' (still accepted)' : 'none'],
      ['Consult policy', m.consultPolicy + (m.consultUrl ? ' via ' + m.consultUrl : '')],
      ['Rate limit', m.rateLimitPerSecond ? m.rateLimitPerSecond + ' requests/s' : 'default, ' + m.effectiveRateLimitPerSecond + ' requests/s'],
      ['Automatic exchange', m.autoExchange ? 'on: AUTHCODE_CREATED codes are exchanged for tokens by the gateway' : 'off'],
      ['Created', ui.time(m.createdAt)],
    ];
    rows.forEach(function (r) {
      dl.appendChild(h('dt', null, r[0]));
      dl.appendChild(h('dd', null, r[1]));
    });
    document.getElementById('merchant-detail-h').textContent = 'Merchant: ' + m.name;
    ui.input('merchant-disable').disabled = m.status === 'DISABLED';
  }

  function loadMerchant() {
    return ui.api('GET', base()).then(summary);
  }

  document.getElementById('merchant-disable').addEventListener('click', function (e) {
    var button = e.currentTarget;
    if (!window.confirm('Disable this merchant? Its API calls will be refused.')) return;
    ui.busy(button, function () {
      return ui.api('POST', base() + '/disable').then(function (m) {
        summary(m);
        ui.flash('Merchant "' + m.name + '" disabled.');
        return loadMerchants(true);
      });
    });
  });

  ui.onSubmit(document.getElementById('rotate-key-form'), function (v, form) {
    return ui.api('POST', base() + '/keys', { publicKey: v.publicKey }).then(function (m) {
      form.reset();
      summary(m);
      ui.flash('Key rotated: the new key is current, the previous one is still accepted.');
    });
  });

  // ----- sub-merchants ----------------------------------------------------------------------------
  function loadSubMerchants() {
    return ui.api('GET', base() + '/sub-merchants?limit=200').then(function (page) {
      subMerchants = page.items;
      var body = ui.clear(document.querySelector('#sub-merchant-table tbody'));
      subMerchants.forEach(function (s) {
        var disable = h('button', { type: 'button', class: 'small danger', disabled: s.status === 'DISABLED' }, [
          'Disable',
          h('span', { class: 'visually-hidden', text: ' ' + s.name }),
        ]);
        disable.addEventListener('click', function () {
          if (!window.confirm('Disable sub-merchant ' + s.name + '?')) return;
          ui.busy(disable, function () {
            return ui.api('POST', base() + '/sub-merchants/' + encodeURIComponent(s.id) + '/disable').then(function () {
              ui.flash('Sub-merchant "' + s.name + '" disabled.');
              return loadSubMerchants();
            });
          });
        });
        body.appendChild(
          h('tr', null, [h('td', null, s.name), h('td', { class: 'mono' }, s.merchantAccountId), h('td', null, ui.badge(s.status)), h('td', null, disable)]),
        );
      });
      if (subMerchants.length === 0) body.appendChild(h('tr', null, h('td', { colspan: 4, text: 'No sub-merchants.' })));
      var select = /** @type {HTMLSelectElement} */ (document.getElementById('endpoint-sub'));
      while (select.options.length > 1) select.remove(1);
      subMerchants.forEach(function (s) {
        select.appendChild(h('option', { value: s.id, text: s.name + ' (' + s.merchantAccountId + ')' }));
      });
    });
  }

  ui.onSubmit(document.getElementById('add-sub-merchant-form'), function (v, form) {
    return ui.api('POST', base() + '/sub-merchants', { merchantAccountId: v.merchantAccountId, name: v.name }).then(function (s) {
      form.reset();
      ui.flash('Sub-merchant "' + s.name + '" added.');
      return loadSubMerchants();
    });
  });

  // ----- callback endpoints -------------------------------------------------------------------------
  function subName(id) {
    if (!id) return 'the merchant';
    var s = subMerchants.filter(function (x) {
      return x.id === id;
    })[0];
    return s ? s.name : id;
  }

  /** A secret is shown here once, whole, with a warning; hiding it removes it from the page. */
  function showSecret(endpoint, secret) {
    var panel = document.getElementById('secret-panel');
    document.getElementById('secret-endpoint').textContent = endpoint.url;
    ui.input('secret-value').value = secret;
    panel.hidden = false;
    panel.setAttribute('role', 'alert');
    document.getElementById('secret-value').focus();
    ui.input('secret-value').select();
  }
  function hideSecret() {
    ui.input('secret-value').value = '';
    var panel = document.getElementById('secret-panel');
    panel.hidden = true;
    panel.removeAttribute('role');
  }
  document.getElementById('secret-done').addEventListener('click', function () {
    hideSecret();
    ui.flash('Secret hidden. It cannot be shown again.');
    ui.focus(document.getElementById('endpoints-h'));
  });
  document.getElementById('secret-copy').addEventListener('click', function () {
    var input = ui.input('secret-value');
    input.select();
    if (navigator.clipboard)
      navigator.clipboard.writeText(input.value).then(function () {
        ui.flash('Secret copied to the clipboard.');
      }, ui.fail);
  });

  function endpointAction(label, e, path, done) {
    var button = h('button', { type: 'button', class: 'small' }, [label, h('span', { class: 'visually-hidden', text: ' ' + e.url })]);
    button.addEventListener('click', function () {
      ui.busy(button, function () {
        return ui.api('POST', base() + '/endpoints/' + encodeURIComponent(e.id) + path).then(done);
      });
    });
    return button;
  }

  function loadEndpoints() {
    return ui.api('GET', base() + '/endpoints?limit=200').then(function (page) {
      var body = ui.clear(document.querySelector('#endpoint-table tbody'));
      page.items.forEach(function (e) {
        var actions = [];
        if (e.status === 'ACTIVE') {
          actions.push(
            endpointAction('Disable', e, '/disable', function () {
              ui.flash('Endpoint disabled: no new deliveries go to it.');
              return loadEndpoints();
            }),
          );
        } else {
          actions.push(
            endpointAction('Enable', e, '/enable', function () {
              ui.flash('Endpoint enabled.');
              return loadEndpoints();
            }),
          );
        }
        if (e.signingScheme === 'STANDARD_WEBHOOKS') {
          actions.push(
            endpointAction('Rotate secret', e, '/secret', function (r) {
              showSecret(r, r.secret);
              return loadEndpoints();
            }),
          );
        }
        actions.push(
          h('a', { href: '/console/deliveries' + ui.qs({ endpointId: e.id }) }, ['Deliveries', h('span', { class: 'visually-hidden', text: ' to ' + e.url })]),
        );
        var status = [ui.badge(e.status)];
        if (e.disabledReason) status.push(h('div', { class: 'hint', text: e.disabledReason }));
        if (e.failingSince) status.push(h('div', { class: 'hint' }, ['failing since ', ui.time(e.failingSince)]));
        body.appendChild(
          h('tr', null, [
            h('td', { class: 'mono' }, [e.url, h('div', { class: 'hint' }, ui.shortId(e.id))]),
            h('td', null, subName(e.subMerchantId)),
            h('td', null, e.signingScheme + (e.hasPreviousSecret ? ' (previous secret still used)' : '')),
            h('td', null, e.eventTypes.join(', ')),
            h('td', null, status),
            h('td', null, h('div', { class: 'actions' }, actions)),
          ]),
        );
      });
      if (page.items.length === 0) body.appendChild(h('tr', null, h('td', { colspan: 6, text: 'No callback endpoints.' })));
    });
  }

  ui.onSubmit(document.getElementById('add-endpoint-form'), function (v, form) {
    var body = { url: v.url, signingScheme: v.signingScheme, eventTypes: v.eventTypes };
    if (v.subMerchantId) body.subMerchantId = v.subMerchantId;
    return ui.api('POST', base() + '/endpoints', body).then(function (e) {
      form.reset();
      ui.flash('Endpoint ' + e.url + ' added.');
      if (e.secret) showSecret(e, e.secret);
      return loadEndpoints();
    });
  });

  // ----- the gateway's own public key, for merchants' SDKs ------------------------------------------
  function loadGatewayKey() {
    return ui.api('GET', '/admin/v1/gateway/public-key').then(function (k) {
      document.getElementById('gateway-key-fingerprint').textContent = 'sha256 ' + k.fingerprint;
      ui.input('gateway-key-base64').value = k.base64;
      ui.input('gateway-key-pem').value = k.pem;
    });
  }
  document.getElementById('gateway-key-copy').addEventListener('click', function () {
    var input = ui.input('gateway-key-base64');
    input.select();
    if (navigator.clipboard)
      navigator.clipboard.writeText(input.value).then(function () {
        ui.flash('Gateway public key copied to the clipboard.');
      }, ui.fail);
  });

  /** @type {Promise<unknown>} */
  var start = Promise.all([loadMerchants(true), loadGatewayKey()]);
  if (selectedId) {
    detail.hidden = false;
    start = start
      .then(loadMerchant)
      .then(loadSubMerchants)
      .then(loadEndpoints)
      .then(function () {
        ui.focus(document.getElementById('merchant-detail-h'));
      });
  }
  start.catch(ui.fail);
})();

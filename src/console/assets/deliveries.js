// @ts-check
// The deliveries page.
// Served as is from /console/assets (see console-assets.ts): plain browser JavaScript, no build step.
/* Deliveries: filter by status, endpoint, merchant and time; redeliver one; recover an endpoint's failures. */
(function () {
  'use strict';
  var ui = window.ConsoleUI;
  var h = ui.h;
  var params = ui.searchParams();
  var filter = {
    status: params.get('status') || undefined,
    endpointId: params.get('endpointId') || undefined,
    merchantId: params.get('merchantId') || undefined,
    since: ui.isoFromLocal(params.get('since')),
    until: ui.isoFromLocal(params.get('until')),
  };
  var cursor = null;
  var tbody = document.querySelector('#delivery-table tbody');
  var more = document.getElementById('delivery-more');

  ui.showFilters('#delivery-filter', params, ['status', 'endpointId', 'merchantId', 'since', 'until']);
  if (filter.endpointId) ui.input('r-endpoint').value = filter.endpointId;

  var SETTLED = ['DELIVERED', 'FAILED'];

  function lastAnswer(d) {
    /** @type {Array<string | HTMLElement>} */
    var parts = [d.lastHttpStatus === null ? 'no HTTP answer' : 'HTTP ' + d.lastHttpStatus];
    if (d.lastError) parts.push(h('div', { class: 'hint', text: d.lastError }));
    return parts;
  }

  function cells(row, d) {
    row.cells[3].replaceChildren(ui.badge(d.status));
    row.cells[4].textContent = String(d.attemptCount);
    row.cells[5].replaceChildren.apply(row.cells[5], lastAnswer(d));
  }

  /** After a redeliver: asks for the delivery until it settles (or 30 s pass), updating its row and announcing the result. */
  function follow(row, id, button) {
    var deadline = Date.now() + 30000;
    function poll() {
      return ui.api('GET', '/admin/v1/deliveries/' + encodeURIComponent(id)).then(function (d) {
        cells(row, d);
        if (SETTLED.indexOf(d.status) >= 0) {
          button.disabled = false;
          ui.flash('Delivery ' + id.slice(0, 8) + ' is ' + d.status + ' after attempt ' + d.attempts.length + '.');
          return;
        }
        if (Date.now() > deadline) {
          button.disabled = false;
          ui.flash('Delivery ' + id.slice(0, 8) + ' is still ' + d.status + '; refresh later.');
          return;
        }
        return new Promise(function (r) {
          setTimeout(r, 500);
        }).then(poll);
      });
    }
    return poll();
  }

  function deliveryRow(d) {
    var redeliver = h('button', { type: 'button', class: 'small', disabled: d.status === 'LEASED' }, [
      'Redeliver',
      h('span', { class: 'visually-hidden', text: ' delivery ' + d.id }),
    ]);
    var endpointLink = h('a', { href: '/console/deliveries' + ui.qs({ endpointId: d.endpointId }) }, ui.shortId(d.endpointId));
    var row = h('tr', { 'data-delivery-id': d.id }, [
      h('td', null, ui.time(d.createdAt)),
      h('td', null, [d.eventType || 'unknown', h('div', { class: 'hint' }, ui.shortId(d.eventId))]),
      h('td', null, endpointLink),
      h('td', null, ui.badge(d.status)),
      h('td', { class: 'num' }, String(d.attemptCount)),
      h('td', null, lastAnswer(d)),
      h('td', null, redeliver),
    ]);
    redeliver.addEventListener('click', function () {
      redeliver.disabled = true;
      ui.api('POST', '/admin/v1/deliveries/' + encodeURIComponent(d.id) + '/redeliver')
        .then(function (r) {
          cells(row, { status: r.status, attemptCount: 0, lastHttpStatus: d.lastHttpStatus, lastError: d.lastError });
          ui.flash('Delivery ' + d.id.slice(0, 8) + ' queued again; waiting for the result...');
          return follow(row, d.id, redeliver);
        })
        .catch(function (err) {
          redeliver.disabled = false;
          ui.fail(err);
        });
    });
    return row;
  }

  function load(reset) {
    if (reset) {
      cursor = null;
      ui.clear(tbody);
    }
    var q = {
      status: filter.status,
      endpointId: filter.endpointId,
      merchantId: filter.merchantId,
      since: filter.since,
      until: filter.until,
      limit: 50,
      cursor: cursor,
    };
    return ui.api('GET', '/admin/v1/deliveries' + ui.qs(q)).then(function (page) {
      page.items.forEach(function (d) {
        tbody.appendChild(deliveryRow(d));
      });
      document.getElementById('delivery-empty').hidden = !(reset && page.items.length === 0);
      cursor = page.nextCursor;
      more.hidden = !cursor;
    });
  }
  more.addEventListener('click', function () {
    ui.busy(more, function () {
      return load(false);
    });
  });

  ui.onSubmit(document.getElementById('recover-form'), function (v) {
    var since = ui.isoFromLocal(v.since);
    if (!since) throw new Error('since: enter a date and time');
    if (!window.confirm('Put every FAILED delivery of this endpoint created since ' + ui.localTime(since) + ' back in the queue?')) return undefined;
    return ui.api('POST', '/admin/v1/endpoints/' + encodeURIComponent(v.endpointId) + '/recover', { since: since }).then(function (r) {
      ui.flash(r.recovered + ' failed deliver' + (r.recovered === 1 ? 'y' : 'ies') + ' put back in the queue.');
      return load(true);
    });
  });

  load(true).catch(ui.fail);
})();

// @ts-check
// The health and charts page.
// Served as is from /console/assets (see console-assets.ts): plain browser JavaScript, no build step.
/* Health and charts: per-minute activity as inline SVG bar charts, and callback endpoint health. */
(function () {
  'use strict';
  var ui = window.ConsoleUI;
  var h = ui.h;
  var SVG = 'http://www.w3.org/2000/svg';

  function s(tag, attrs, children) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      el.setAttribute(k, String(attrs[k]));
    });
    (children || []).forEach(function (c) {
      el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    });
    return el;
  }

  function hhmm(iso) {
    var d = new Date(iso);
    return ui.pad(d.getHours()) + ':' + ui.pad(d.getMinutes());
  }

  function niceMax(n) {
    if (n <= 4) return Math.max(1, n);
    var p = Math.pow(10, Math.floor(Math.log(n) / Math.LN10));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= n) return steps[i] * p;
    return 10 * p;
  }

  /** A bar per minute; the numbers are also in the figure's summary line and its data table. */
  function barChart(figure, minutes, key, cls, unit) {
    var W = 400,
      H = 170,
      L = 30,
      R = 6,
      T = 10,
      B = 24;
    var values = minutes.map(function (m) {
      return m[key];
    });
    var max = niceMax(Math.max.apply(null, values.concat([0])));
    var total = values.reduce(function (a, b) {
      return a + b;
    }, 0);
    var peak = values.indexOf(Math.max.apply(null, values));
    var plotW = W - L - R,
      plotH = H - T - B,
      step = plotW / Math.max(1, values.length);
    var caption = figure.querySelector('figcaption').textContent;
    var summary =
      total === 0
        ? 'None in the last ' + values.length + ' minutes.'
        : total + ' in the last ' + values.length + ' minutes; at most ' + values[peak] + ' a minute (at ' + hhmm(minutes[peak].minute) + ').';
    var svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': caption + ': ' + summary, 'data-total': total });
    [0, max / 2, max].forEach(function (v) {
      var y = T + plotH - (v / max) * plotH;
      svg.appendChild(s('line', { class: v === 0 ? 'axis' : 'grid', x1: L, x2: W - R, y1: y, y2: y }));
      svg.appendChild(s('text', { x: L - 6, y: y + 4, 'text-anchor': 'end' }, [String(Math.round(v * 10) / 10)]));
    });
    values.forEach(function (v, i) {
      if (v === 0) return;
      var barH = Math.max(1, (v / max) * plotH);
      var bar = s('rect', { class: cls, x: L + i * step + 1, y: T + plotH - barH, width: Math.max(1, step - 2), height: barH }, [
        s('title', {}, [hhmm(minutes[i].minute) + ': ' + v + ' ' + unit]),
      ]);
      svg.appendChild(bar);
    });
    [0, Math.floor(values.length / 2), values.length - 1].forEach(function (i) {
      if (!minutes[i]) return;
      var anchor = i === 0 ? 'start' : i === values.length - 1 ? 'end' : 'middle';
      var x = i === 0 ? L : i === values.length - 1 ? W - R : L + i * step + step / 2;
      svg.appendChild(s('text', { x: x, y: H - 6, 'text-anchor': anchor }, [hhmm(minutes[i].minute)]));
    });
    ui.clear(figure.querySelector('.chart-canvas')).appendChild(svg);
    figure.querySelector('.chart-summary').textContent = summary;
    var rows = minutes.map(function (m) {
      return h('tr', null, [h('th', { scope: 'row' }, hhmm(m.minute)), h('td', { class: 'num' }, String(m[key]))]);
    });
    ui.clear(figure.querySelector('.chart-table')).appendChild(
      h('table', null, [
        h('caption', { class: 'visually-hidden', text: caption }),
        h('thead', null, h('tr', null, [h('th', { scope: 'col' }, 'Minute'), h('th', { scope: 'col' }, unit)])),
        h('tbody', null, rows),
      ]),
    );
  }

  function loadCharts() {
    return ui.api('GET', '/admin/v1/stats/activity?minutes=60').then(function (a) {
      barChart(document.getElementById('chart-notifications'), a.minutes, 'notifications', 'bar-notifications', 'notifications');
      barChart(document.getElementById('chart-deliveries'), a.minutes, 'deliveryAttempts', 'bar-deliveries', 'attempts');
      barChart(document.getElementById('chart-failures'), a.minutes, 'deliveryFailures', 'bar-failures', 'failed attempts');
    });
  }

  function percent(rate) {
    return Math.round(rate * 1000) / 10 + '%';
  }

  function attempts(count, rate) {
    return count === 0 ? 'no attempts' : percent(rate) + ' of ' + count + ' attempt' + (count === 1 ? '' : 's') + ' succeeded';
  }

  function endpointRow(e) {
    var rate = h('td', { text: '...' });
    var lastError = h('td', { text: '...' });
    var actions = [
      h('a', { href: '/console/deliveries' + ui.qs({ endpointId: e.endpointId }) }, [
        'Deliveries',
        h('span', { class: 'visually-hidden', text: ' to ' + e.url }),
      ]),
    ];
    actions.push(
      h('a', { href: '/console/merchants' + ui.qs({ merchant: e.merchantId }) }, [
        'Merchant',
        h('span', { class: 'visually-hidden', text: ' ' + e.merchantName }),
      ]),
    );
    var status = [ui.badge(e.status)];
    if (e.disabledReason) status.push(h('div', { class: 'hint', text: e.disabledReason }));
    if (e.failingSince) status.push(h('div', { class: 'hint' }, ['failing since ', ui.time(e.failingSince)]));
    var row = h('tr', { 'data-endpoint-id': e.endpointId }, [
      h('td', null, [e.merchantName, h('div', { class: 'hint mono', text: e.referenceMerchantId })]),
      h('td', { class: 'mono' }, [e.url, h('div', { class: 'hint' }, ui.shortId(e.endpointId))]),
      h('td', null, status),
      h('td', null, attempts(e.attempts, e.successRate)),
      rate,
      lastError,
      h('td', null, h('div', { class: 'actions' }, actions)),
    ]);
    ui.api('GET', '/admin/v1/endpoints/' + encodeURIComponent(e.endpointId) + '/health')
      .then(function (hl) {
        rate.textContent = attempts(hl.attempts, hl.successRate);
        ui.clear(lastError);
        if (!hl.lastError) lastError.textContent = 'none';
        else
          ui.append(lastError, [
            ui.time(hl.lastError.at),
            h('div', null, (hl.lastError.errorClass || 'error') + (hl.lastError.httpStatus ? ', HTTP ' + hl.lastError.httpStatus : '')),
          ]);
      })
      .catch(function (err) {
        rate.textContent = '?';
        lastError.textContent = err.message;
      });
    return row;
  }

  function loadEndpoints() {
    return ui.api('GET', '/admin/v1/stats/endpoints?minutes=60&limit=50').then(function (r) {
      var body = ui.clear(document.querySelector('#endpoint-health-table tbody'));
      r.items.forEach(function (e) {
        body.appendChild(endpointRow(e));
      });
      document.getElementById('endpoint-health-empty').hidden = r.items.length > 0;
    });
  }

  function refresh() {
    return Promise.all([loadCharts(), loadEndpoints()]);
  }
  var button = document.getElementById('refresh');
  button.addEventListener('click', function () {
    ui.busy(button, function () {
      return refresh().then(function () {
        ui.flash('Refreshed.');
      });
    });
  });
  refresh().catch(ui.fail);
})();
